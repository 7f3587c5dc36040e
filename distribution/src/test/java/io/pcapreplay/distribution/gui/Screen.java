package io.pcapreplay.distribution.gui;

import java.awt.AWTException;
import java.awt.Component;
import java.awt.Container;
import java.awt.Point;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.Window;
import java.awt.event.InputEvent;
import java.awt.event.KeyEvent;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.imageio.ImageIO;
import javax.swing.SwingUtilities;

/**
 * A user at the screen, for {@link GuiDriver}: finds showing Swing components (read on the event thread), moves the
 * real mouse and types on the real keyboard with {@link Robot} (X events through Xvfb's XTEST), and takes
 * screenshots. JDK classes only: it runs inside JMeter's JVM, beside JMeter's own class loader.
 */
final class Screen {

    private static final Duration POLL = Duration.ofMillis(100);

    private final Robot robot;

    Screen() throws AWTException {
        robot = new Robot();
        robot.setAutoDelay(30);
        // not Robot.waitForIdle: its SunToolkit.realSync waits up to 10 s per call for a native round trip that
        // Xvfb without a window manager sometimes never completes (seen: minutes per typed field on CI)
        robot.setAutoWaitForIdle(false);
    }

    /** Lets the X server take the events sent so far, then lets the event thread dispatch what reached it. */
    void settle() {
        java.awt.Toolkit.getDefaultToolkit().sync();
        robot.delay(50);
        onEventThread(() -> Boolean.TRUE);
    }

    /** Runs on the event thread and returns its result. */
    static <T> T onEventThread(Supplier<T> action) {
        if (SwingUtilities.isEventDispatchThread()) {
            return action.get();
        }
        AtomicReference<T> result = new AtomicReference<>();
        try {
            SwingUtilities.invokeAndWait(() -> result.set(action.get()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
        return result.get();
    }

    /** Waits until the condition (evaluated on the event thread) holds. */
    void waitUntil(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Boolean.TRUE.equals(onEventThread(condition))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(POLL.toMillis());
        }
        settle();
    }

    /** Waits for a showing component matching the predicate, in any window (popups and dialogs too). */
    Component await(String what, Duration timeout, Predicate<Component> predicate) throws InterruptedException {
        AtomicReference<Component> found = new AtomicReference<>();
        waitUntil(what, timeout, () -> {
            find(predicate).ifPresent(found::set);
            return found.get() != null;
        });
        return found.get();
    }

    /** The first showing component matching the predicate, in any window. */
    static Optional<Component> find(Predicate<Component> predicate) {
        return onEventThread(() -> {
            for (Window window : Window.getWindows()) {
                if (window.isShowing()) {
                    Optional<Component> match = find(window, predicate);
                    if (match.isPresent()) {
                        return match;
                    }
                }
            }
            return Optional.empty();
        });
    }

    /** The first showing component under the container matching the predicate. */
    static Optional<Component> find(Container container, Predicate<Component> predicate) {
        return onEventThread(() -> all(container).stream().filter(Component::isShowing).filter(predicate)
            .findFirst());
    }

    static List<Component> all(Container container) {
        List<Component> components = new ArrayList<>();
        components.add(container);
        for (Component child : container.getComponents()) {
            if (child instanceof Container nested) {
                components.addAll(all(nested));
            } else {
                components.add(child);
            }
        }
        return components;
    }

    /** Clicks the middle of a component with the left button. */
    void click(Component component) {
        clickAt(center(component), InputEvent.BUTTON1_DOWN_MASK);
    }

    /** Clicks a point on the screen with a button mask. */
    void clickAt(Point point, int button) {
        robot.mouseMove(point.x, point.y);
        robot.delay(80);
        robot.mousePress(button);
        robot.mouseRelease(button);
        settle();
    }

    /** Moves the mouse over a component (opens a submenu). */
    void hover(Component component) {
        Point point = center(component);
        robot.mouseMove(point.x, point.y);
        robot.delay(300);
        settle();
    }

    static Point center(Component component) {
        return onEventThread(() -> {
            Point location = component.getLocationOnScreen();
            return new Point(location.x + component.getWidth() / 2, location.y + component.getHeight() / 2);
        });
    }

    /** Clicks into a text field, selects all (Ctrl+A) and types the text; waits until the field holds it. */
    void replaceText(Component field, String text) throws InterruptedException {
        String typed = "";
        for (int attempt = 1; attempt <= 2; attempt++) {
            click(field);
            chord(KeyEvent.VK_CONTROL, KeyEvent.VK_A);
            type(text);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                typed = onEventThread(() -> field instanceof javax.swing.text.JTextComponent textField
                    ? textField.getText() : text);
                if (typed.equals(text)) {
                    return;
                }
                Thread.sleep(POLL.toMillis());
            }
        }
        throw new IllegalStateException("typed '" + text + "' into " + field.getName() + ", it holds '" + typed + "'");
    }

    /** Presses and releases a key, with modifiers held first. */
    void chord(int... keys) {
        for (int key : keys) {
            robot.keyPress(key);
        }
        for (int i = keys.length - 1; i >= 0; i--) {
            robot.keyRelease(keys[i]);
        }
        settle();
    }

    /** Types text on a US keyboard (Xvfb's default keymap). */
    void type(String text) {
        for (char character : text.toCharArray()) {
            Key key = Key.of(character);
            if (key.shift()) {
                chord(KeyEvent.VK_SHIFT, key.code());
            } else {
                chord(key.code());
            }
        }
    }

    /** Saves a screenshot of a component's area of the screen as PNG. */
    void screenshot(Component component, Path file) {
        Rectangle area = onEventThread(() -> new Rectangle(component.getLocationOnScreen(), component.getSize()));
        save(robot.createScreenCapture(area), file);
    }

    /** Saves a screenshot of a screen area as PNG. */
    void screenshot(Rectangle area, Path file) {
        save(robot.createScreenCapture(area), file);
    }

    private static void save(BufferedImage image, Path file) {
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key of a US keyboard and whether Shift is needed. */
    private record Key(int code, boolean shift) {

        static Key of(char character) {
            if (character >= 'a' && character <= 'z') {
                return new Key(KeyEvent.VK_A + character - 'a', false);
            }
            if (character >= 'A' && character <= 'Z') {
                return new Key(KeyEvent.VK_A + character - 'A', true);
            }
            if (character >= '0' && character <= '9') {
                return new Key(KeyEvent.VK_0 + character - '0', false);
            }
            return switch (character) {
                case '.' -> new Key(KeyEvent.VK_PERIOD, false);
                case '/' -> new Key(KeyEvent.VK_SLASH, false);
                case '-' -> new Key(KeyEvent.VK_MINUS, false);
                case '_' -> new Key(KeyEvent.VK_MINUS, true);
                case ':' -> new Key(KeyEvent.VK_SEMICOLON, true);
                case '*' -> new Key(KeyEvent.VK_8, true);
                case ',' -> new Key(KeyEvent.VK_COMMA, false);
                case ' ' -> new Key(KeyEvent.VK_SPACE, false);
                case '=' -> new Key(KeyEvent.VK_EQUALS, false);
                default -> throw new IllegalArgumentException("character '" + character + "' (expected: letters, "
                    + "digits or . / - _ : * , = and space)");
            };
        }
    }
}
