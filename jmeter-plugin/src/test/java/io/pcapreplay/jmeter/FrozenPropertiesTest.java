package io.pcapreplay.jmeter;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.jmeter.config.ConfigTestElement;
import org.apache.jmeter.engine.util.CompoundVariable;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.samplers.Sampler;
import org.apache.jmeter.testelement.property.FunctionProperty;
import org.junit.jupiter.api.Test;

class FrozenPropertiesTest {

    @Test
    void shouldEvaluateAFunctionPropertyOnceWhenFrozen() {
        AtomicInteger evaluations = new AtomicInteger();
        ConfigTestElement element = new ConfigTestElement();
        element.setProperty(new FunctionProperty("speedFactor", counting(evaluations, "2.5")));
        element.setProperty("labelStyle", "request-line");
        element.setRunningVersion(true);
        assertThat(element.getPropertyAsString("speedFactor")).isEqualTo("2.5");
        element.recoverRunningVersion(); // what JMeter does after each sample: the cached value is dropped
        element.getPropertyAsString("speedFactor");
        assertThat(evaluations).as("before freezing: once per sample").hasValue(2);

        assertThat(FrozenProperties.freeze(element)).isEqualTo(1);
        for (int sample = 0; sample < 100; sample++) {
            assertThat(element.getPropertyAsString("speedFactor")).isEqualTo("2.5");
            element.recoverRunningVersion();
        }

        assertThat(evaluations).as("the value taken when freezing, then never again").hasValue(3);
        assertThat(element.isRunningVersion()).isTrue();
        assertThat(element.getPropertyAsString("labelStyle")).isEqualTo("request-line");
    }

    @Test
    void shouldLeaveAnElementWithoutFunctionsAsItIs() {
        ConfigTestElement element = new ConfigTestElement();
        element.setProperty("targetHost", "198.18.0.1");
        element.setRunningVersion(true);

        assertThat(FrozenProperties.freeze(element)).isZero();
        assertThat(element.getPropertyAsString("targetHost")).isEqualTo("198.18.0.1");
    }

    /** A function that counts its evaluations and answers {@code value}. */
    private static CompoundVariable counting(AtomicInteger evaluations, String value) {
        return new CompoundVariable() {
            @Override
            public String execute(SampleResult previousResult, Sampler currentSampler) {
                evaluations.incrementAndGet();
                return value;
            }

            @Override
            public String execute() {
                evaluations.incrementAndGet();
                return value;
            }
        };
    }
}
