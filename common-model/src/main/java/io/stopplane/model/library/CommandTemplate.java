package io.stopplane.model.library;

import io.stopplane.model.command.CommandSpec;
import io.stopplane.model.id.CommandId;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.id.InvokeId;
import io.stopplane.model.id.RegionId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parameters of a command's content, as Alibaba's agent reads them once {@code EnableParameter} is set:
 * {@code {{name}}} (spaces inside the braces allowed) is a custom parameter, given a value in {@code Parameters};
 * {@code {{ACS::InstanceId}}}, {@code {{ACS::InvokeId}}}, {@code {{ACS::CommandId}}} and {@code {{ACS::RegionId}}} are
 * built-ins, resolved per target. A name is letters, digits, {@code _} and {@code -}, at most 64; a command has at
 * most 20 custom parameters (Alibaba's limits). Anything else in braces ({@code {{.Names}}} of a docker format, say)
 * is not a placeholder and stays as it is; an {@code ACS::} name that is not a built-in is refused rather than run
 * unresolved.
 */
public final class CommandTemplate {

    public static final int MAX_PARAMETERS = 20;
    private static final Pattern PLACEHOLDER =
            Pattern.compile("\\{\\{\\s*(ACS::[A-Za-z0-9_-]+|[A-Za-z0-9_-]{1,64})\\s*}}");
    private static final String BUILT_IN = "ACS::";
    private static final Set<String> BUILT_INS = Set.of("ACS::InstanceId", "ACS::InvokeId", "ACS::CommandId",
            "ACS::RegionId");

    /** What the built-ins stand for on one target. */
    public record Target(InstanceId instanceId, InvokeId invokeId, CommandId commandId, RegionId regionId) {

        String value(String builtIn) {
            return switch (builtIn) {
                case "ACS::InstanceId" -> instanceId.value();
                case "ACS::InvokeId" -> invokeId.value();
                case "ACS::CommandId" -> commandId.value();
                case "ACS::RegionId" -> regionId.value();
                default -> throw new IllegalArgumentException("not a built-in: " + builtIn);
            };
        }
    }

    private CommandTemplate() {
    }

    /**
     * The custom parameters of {@code content}, in the order they first appear.
     *
     * @throws InvalidTemplateException an unknown {@code ACS::} built-in, or more than 20 custom parameters
     */
    public static List<String> parameterNames(String content) {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = PLACEHOLDER.matcher(content);
        while (m.find()) {
            String name = m.group(1);
            if (name.startsWith(BUILT_IN)) {
                if (!BUILT_INS.contains(name)) {
                    throw new InvalidTemplateException("CommandContent", "{{" + name + "}} is not a built-in "
                            + "parameter; the built-ins are " + String.join(", ", new TreeSet<>(BUILT_INS)) + ".");
                }
            } else {
                names.add(name);
            }
        }
        if (names.size() > MAX_PARAMETERS) {
            throw new InvalidTemplateException("CommandContent", "It has " + names.size()
                    + " custom parameters; at most " + MAX_PARAMETERS + " are allowed.");
        }
        return List.copyOf(names);
    }

    /**
     * Checks the values given against the command's parameters: each must have one, and no value may be for a
     * parameter the command does not have (a typo would otherwise run the command with the placeholder in it).
     *
     * @throws InvalidTemplateException naming the missing or unexpected parameters (never a value)
     */
    public static void check(List<String> names, Map<String, String> values) {
        List<String> missing = names.stream().filter(n -> !values.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidTemplateException("Parameters", "No value for the parameter"
                    + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + " of the command.");
        }
        List<String> unexpected = new ArrayList<>(new TreeSet<>(values.keySet()));
        unexpected.removeAll(names);
        if (!unexpected.isEmpty()) {
            throw new InvalidTemplateException("Parameters", "The command has no parameter "
                    + String.join(", ", unexpected) + ".");
        }
    }

    /** What {@code target} runs of {@code command}: as it is without parameters ({@code values} null), else resolved. */
    public static CommandSpec forTarget(CommandSpec command, Map<String, String> values, Target target) {
        return values == null ? command : command.withContent(resolve(command.content(), values, target));
    }

    /**
     * The content {@code target} runs: every placeholder replaced by its value, in one pass (a value that itself looks
     * like a placeholder stays as it is). Call {@link #check} first: a custom parameter without a value is an error.
     */
    public static String resolve(String content, Map<String, String> values, Target target) {
        Matcher m = PLACEHOLDER.matcher(content);
        StringBuilder out = new StringBuilder(content.length());
        while (m.find()) {
            String name = m.group(1);
            String value = name.startsWith(BUILT_IN) ? target.value(name) : values.get(name);
            if (value == null) {
                throw new InvalidTemplateException("Parameters", "No value for the parameter " + name + ".");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }
}
