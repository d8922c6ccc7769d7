package io.stopplane.e2e;

import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the classes on the {@link SharedStack} after the others (each group in JUnit's default order), so that the
 * shared stack, which stays up until the run ends, is never idle beside another class's own stack on this 2-core
 * machine. Only the speed depends on it: every class starts whatever it needs, in any order.
 */
public final class SharedStackLast implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparing(SharedStackLast::onTheSharedStack));
    }

    private static boolean onTheSharedStack(ClassDescriptor c) {
        return c.findRepeatableAnnotations(ExtendWith.class).stream()
                .anyMatch(e -> List.of(e.value()).contains(SharedStack.Resolver.class));
    }
}
