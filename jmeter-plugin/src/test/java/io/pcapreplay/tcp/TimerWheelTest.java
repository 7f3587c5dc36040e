package io.pcapreplay.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimerWheelTest {

    private static final long MS = 1_000_000L;

    private static final class Item extends TimerWheel.Node {
        final int id;

        Item(int id) {
            this.id = id;
        }
    }

    private final List<Integer> fired = new ArrayList<>();
    private final TimerWheel.Expiry record = (node, now) -> fired.add(((Item) node).id);

    @Test
    void shouldFireOnlyDueNodesWhenAdvanced() {
        TimerWheel wheel = new TimerWheel(MS, 8, 0);
        Item early = new Item(1);
        Item late = new Item(2);
        wheel.schedule(early, 3 * MS);
        wheel.schedule(late, 30 * MS);

        assertThat(wheel.advance(2 * MS, record)).isZero();
        assertThat(wheel.advance(3 * MS, record)).isEqualTo(1);
        assertThat(fired).containsExactly(1);
        assertThat(early.timerScheduled()).isFalse();
        assertThat(late.timerScheduled()).isTrue();
        assertThat(wheel.size()).isEqualTo(1);

        wheel.advance(29 * MS, record);
        assertThat(fired).containsExactly(1);
        wheel.advance(30 * MS, record);
        assertThat(fired).containsExactly(1, 2);
        assertThat(wheel.size()).isZero();
    }

    @Test
    void shouldNeverFireEarlyWhenDeadlineIsBetweenTicks() {
        TimerWheel wheel = new TimerWheel(MS, 16, 0);
        wheel.schedule(new Item(1), 5 * MS + 1);
        wheel.advance(5 * MS, record);
        assertThat(fired).isEmpty();
        wheel.advance(6 * MS, record);
        assertThat(fired).containsExactly(1);
    }

    @Test
    void shouldFireWithinTheTickWhenAdvancedToTheDeadline() {
        TimerWheel wheel = new TimerWheel(MS, 16, 0);
        wheel.schedule(new Item(1), 5 * MS + 370_000);
        wheel.advance(5 * MS + 369_999, record);
        assertThat(fired).isEmpty();
        wheel.advance(5 * MS + 370_000, record);
        assertThat(fired).as("fired at its deadline, not at the next tick").containsExactly(1);
    }

    @Test
    void shouldTellTheEarliestDeadlineWhenAskedForTheNextWakeUp() {
        TimerWheel wheel = new TimerWheel(MS, 16, 0);
        Item near = new Item(1);
        Item nextTurn = new Item(2);
        assertThat(wheel.nextDeadline(50 * MS)).as("nothing scheduled: the horizon").isEqualTo(50 * MS);
        wheel.schedule(nextTurn, 19 * MS + 5); // shares its bucket with tick 3 of the first turn
        wheel.schedule(near, 3 * MS + 250_000);
        wheel.advance(MS, record);

        assertThat(wheel.nextDeadline(50 * MS)).isEqualTo(3 * MS + 250_000);
        assertThat(wheel.earliestNode()).isSameAs(near);
        assertThat(wheel.nextDeadline(2 * MS)).as("beyond the horizon").isEqualTo(2 * MS);
        wheel.cancel(near);
        assertThat(wheel.nextDeadline(50 * MS)).as("one turn ahead at most").isEqualTo(16 * MS);
        assertThat(wheel.earliestNode()).isNull();
        wheel.advance(16 * MS, record);
        assertThat(wheel.nextDeadline(50 * MS)).isEqualTo(19 * MS + 5);
        assertThat(wheel.earliestNode()).isSameAs(nextTurn);
    }

    @Test
    void shouldAnswerAnEarlierBoundWhenTooManyNodesShareTheBuckets() {
        TimerWheel wheel = new TimerWheel(MS, 4, 0);
        for (int i = 0; i < 5_000; i++) {
            wheel.schedule(new Item(i), (8 + i % 4) * MS + 1); // later turns: every bucket full of them
        }
        wheel.schedule(new Item(-1), 6 * MS + 1);

        long wake = wheel.nextDeadline(50 * MS);
        assertThat(wake).as("never after the earliest deadline").isLessThanOrEqualTo(6 * MS + 1);
        assertThat(wheel.earliestNode()).isNull();
    }

    @Test
    void shouldFireEverythingDueWhenTheClockJumpsSeveralTurns() {
        TimerWheel wheel = new TimerWheel(MS, 4, 0);
        for (int i = 0; i < 40; i++) {
            wheel.schedule(new Item(i), (i + 1) * MS);
        }
        assertThat(wheel.advance(1000 * MS, record)).isEqualTo(40);
        assertThat(fired).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    void shouldMoveNodeWhenRescheduledAndForgetItWhenCancelled() {
        TimerWheel wheel = new TimerWheel(MS, 8, 0);
        Item moved = new Item(1);
        Item cancelled = new Item(2);
        wheel.schedule(moved, 2 * MS);
        wheel.schedule(cancelled, 2 * MS);
        wheel.schedule(moved, 9 * MS);
        wheel.cancel(cancelled);
        wheel.cancel(cancelled);

        wheel.advance(5 * MS, record);
        assertThat(fired).isEmpty();
        assertThat(wheel.size()).isEqualTo(1);
        wheel.advance(9 * MS, record);
        assertThat(fired).containsExactly(1);
    }

    @Test
    void shouldNotFireNodeCancelledByAnEarlierCallbackOfTheSameTick() {
        TimerWheel wheel = new TimerWheel(MS, 8, 0);
        Item first = new Item(1);
        Item second = new Item(2);
        wheel.schedule(second, MS);
        wheel.schedule(first, MS);
        wheel.advance(MS, (node, now) -> {
            fired.add(((Item) node).id);
            wheel.cancel(node == first ? second : first);
        });
        assertThat(fired).hasSize(1);
        assertThat(wheel.size()).isZero();
    }

    @Test
    void shouldAllowCallbackToRescheduleItself() {
        TimerWheel wheel = new TimerWheel(MS, 8, 0);
        Item periodic = new Item(7);
        wheel.schedule(periodic, MS);
        TimerWheel.Expiry again = (node, now) -> {
            fired.add(((Item) node).id);
            if (fired.size() < 3) {
                wheel.schedule(node, now + 2 * MS);
            }
        };
        for (long t = 0; t <= 20; t++) {
            wheel.advance(t * MS, again);
        }
        assertThat(fired).containsExactly(7, 7, 7);
        assertThat(periodic.timerScheduled()).isFalse();
    }

    @Test
    void shouldAgreeWithASortedModelWhenDrivenRandomly() {
        Random random = new Random(42);
        TimerWheel wheel = new TimerWheel(MS, 32, 0);
        Item[] items = new Item[200];
        long[] deadlines = new long[items.length];
        for (int i = 0; i < items.length; i++) {
            items[i] = new Item(i);
            deadlines[i] = TimerWheel.NOT_SCHEDULED;
        }
        long now = 0;
        for (int step = 0; step < 5000; step++) {
            Item item = items[random.nextInt(items.length)];
            if (random.nextInt(4) == 0) {
                wheel.cancel(item);
                deadlines[item.id] = TimerWheel.NOT_SCHEDULED;
            } else {
                long deadline = now + random.nextInt(100) * MS / 3;
                wheel.schedule(item, deadline);
                deadlines[item.id] = deadline;
            }
            now += random.nextInt(3) * MS;
            long current = now;
            wheel.advance(now, (node, at) -> {
                Item due = (Item) node;
                assertThat(deadlines[due.id]).isNotEqualTo(TimerWheel.NOT_SCHEDULED).isLessThanOrEqualTo(current);
                deadlines[due.id] = TimerWheel.NOT_SCHEDULED;
            });
            long earliest = now + 20 * MS;
            for (long deadline : deadlines) {
                // nothing due stays pending, even within the current tick
                assertThat(deadline == TimerWheel.NOT_SCHEDULED || deadline > now).isTrue();
                if (deadline != TimerWheel.NOT_SCHEDULED) {
                    earliest = Math.min(earliest, deadline);
                }
            }
            assertThat(wheel.nextDeadline(now + 20 * MS)).as("next deadline at %d", now).isEqualTo(earliest);
        }
    }

    @Test
    void shouldRejectBadConfiguration() {
        assertThatThrownBy(() -> new TimerWheel(0, 8, 0)).hasMessageContaining("timer tick: 0 ns (expected: > 0)");
        assertThatThrownBy(() -> new TimerWheel(MS, 0, 0)).hasMessageContaining("timer buckets: 0");
    }
}
