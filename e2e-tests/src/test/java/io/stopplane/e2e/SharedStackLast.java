package io.stopplane.e2e;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the classes with a stack of their own first, then those on each kind of {@link SharedStack}, one kind after
 * the other (each group in JUnit's default order), so that a shared stack is never idle beside another stack on this
 * 2-core machine: it remembers which class comes last of each kind, and that class's end stops the stack. Only the
 * speed depends on it: every class starts whatever it needs, in any order.
 */
public final class SharedStackLast implements ClassOrderer {

    private static final Map<SharedStack.Kind, Class<?>> LAST = new EnumMap<>(SharedStack.Kind.class);

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator.comparing(c -> kind(c).map(k -> k.ordinal() + 1).orElse(0)));
        synchronized (LAST) {
            LAST.clear();
            context.getClassDescriptors().forEach(c -> kind(c).ifPresent(k -> LAST.put(k, c.getTestClass())));
        }
    }

    /** Whether {@code testClass} is the last class on the {@code kind} of stack in this run's order. */
    static boolean isLastOf(SharedStack.Kind kind, Class<?> testClass) {
        synchronized (LAST) {
            return LAST.get(kind) == testClass;
        }
    }

    private static Optional<SharedStack.Kind> kind(ClassDescriptor c) {
        return c.findRepeatableAnnotations(ExtendWith.class).stream()
                .flatMap(e -> List.of(e.value()).stream())
                .filter(SharedStack.Resolver.class::isAssignableFrom)
                .findFirst()
                .map(SharedStackLast::kindOf);
    }

    private static SharedStack.Kind kindOf(Class<? extends org.junit.jupiter.api.extension.Extension> resolver) {
        return resolver == SharedStack.ShortTimers.class ? SharedStack.Kind.SHORT_TIMERS : SharedStack.Kind.SIGNED;
    }
}
