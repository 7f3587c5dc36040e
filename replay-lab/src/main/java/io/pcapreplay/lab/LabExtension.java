package io.pcapreplay.lab;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit 5 extension behind {@link LabTest}: checks the prerequisites (skip, or fail under CI=true), builds one
 * {@link Lab} per test class and closes it after the class (through the class-level store, so also on failure).
 */
public final class LabExtension implements ExecutionCondition, BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(LabExtension.class);
    private static final String LAB = "lab";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        LabPrerequisites.Decision decision = LabPrerequisites.decide();
        if (decision.outcome() == LabPrerequisites.Outcome.SKIP) {
            return ConditionEvaluationResult.disabled(decision.reason());
        }
        return ConditionEvaluationResult.enabled(decision.outcome() == LabPrerequisites.Outcome.RUN
                ? "lab prerequisites present" : decision.reason());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        lab(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return lab(extensionContext);
    }

    private static Lab lab(ExtensionContext context) {
        ExtensionContext classContext = classContext(context);
        LabResource resource = classContext.getStore(STORE).getOrComputeIfAbsent(LAB, key -> create(),
                LabResource.class);
        return resource.lab();
    }

    private static LabResource create() {
        LabPrerequisites.Decision decision = LabPrerequisites.decide();
        if (decision.outcome() == LabPrerequisites.Outcome.FAIL) {
            throw new LabException(decision.reason());
        }
        return new LabResource(Lab.create());
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    /** Closes the lab when JUnit closes the class-level store. */
    private record LabResource(Lab lab) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            lab.close();
        }
    }
}
