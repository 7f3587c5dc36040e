package io.pcapreplay.lab;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a lab test class: one {@link Lab} per class (built before all, removed after all, also on failure),
 * injected as a {@code Lab} parameter into {@code @BeforeAll}, {@code @Test} and the other lifecycle methods.
 * Tagged {@code lab}; each test method times out after 2 minutes. Skipped or failed as {@link LabPrerequisites}
 * decides.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LabExtension.class)
@Tag("lab")
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public @interface LabTest {
}
