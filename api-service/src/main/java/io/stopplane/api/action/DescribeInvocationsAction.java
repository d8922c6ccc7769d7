package io.stopplane.api.action;

import io.stopplane.api.rpc.ActionHandler;
import io.stopplane.api.rpc.RpcRequest;
import io.stopplane.api.view.InvocationView;
import io.stopplane.model.id.InstanceId;
import io.stopplane.model.state.InvocationState;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * DescribeInvocations: filters, newest first, paged by MaxResults + NextToken or by PageNumber + PageSize. Unknown ids
 * give an empty list, not an error.
 */
@Component
class DescribeInvocationsAction implements ActionHandler {

    private final Regions regions;
    private final InvocationView view;

    DescribeInvocationsAction(Regions regions, InvocationView view) {
        this.regions = regions;
        this.view = view;
    }

    @Override
    public String action() {
        return "DescribeInvocations";
    }

    @Override
    public Map<String, Object> handle(RpcRequest request) {
        regions.require(request);
        boolean includeOutput = request.boolParam("IncludeOutput", false);
        String encoding = request.optional("ContentEncoding").orElse("Base64");
        if (!encoding.equalsIgnoreCase("Base64") && !encoding.equalsIgnoreCase("PlainText")) {
            throw RpcRequest.invalid("ContentEncoding", "It must be PlainText or Base64.");
        }
        boolean base64 = encoding.equalsIgnoreCase("Base64");
        Predicate<InvocationState> filter = filter(request);
        List<InvocationState> matching = view.all().stream()
                .filter(filter)
                .sorted(Comparator.comparing(InvocationState::creationTime, Comparator.nullsLast(Comparator.reverseOrder()))
                        .thenComparing(s -> s.invokeId().value()))
                .toList();
        boolean pageStyle = request.optional("PageNumber").isPresent() || request.optional("PageSize").isPresent();
        int size = pageStyle ? request.intParam("PageSize", 10, 1, 50) : request.intParam("MaxResults", 10, 1, 50);
        int from = pageStyle
                ? (request.intParam("PageNumber", 1, 1, Integer.MAX_VALUE) - 1) * size
                : request.optional("NextToken").map(DescribeInvocationsAction::token).orElse(0);
        List<Map<String, Object>> page = matching.stream().skip(from).limit(size)
                .map(s -> InvocationRenderer.invocation(s, includeOutput, base64))
                .toList();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("TotalCount", matching.size());
        body.put("PageNumber", from / size + 1);
        body.put("PageSize", size);
        body.put("MaxResults", size);
        body.put("NextToken", from + size < matching.size() ? String.valueOf(from + size) : "");
        body.put("Invocations", Map.of("Invocation", page));
        return body;
    }

    private static Predicate<InvocationState> filter(RpcRequest request) {
        Predicate<InvocationState> p = s -> true;
        Optional<String> invokeId = request.optional("InvokeId");
        if (invokeId.isPresent()) {
            p = p.and(s -> s.invokeId().value().equals(invokeId.get()));
        }
        Optional<String> commandId = request.optional("CommandId");
        if (commandId.isPresent()) {
            p = p.and(s -> s.command() != null && s.command().commandId().value().equals(commandId.get()));
        }
        Optional<String> instanceId = request.optional("InstanceId");
        if (instanceId.isPresent()) {
            p = p.and(s -> InstanceId.isValid(instanceId.get()) && s.instance(InstanceId.of(instanceId.get())).isPresent());
        }
        Optional<String> status = request.optional("InvokeStatus");
        if (status.isPresent()) {
            p = p.and(s -> s.invocationStatus().wireName().equalsIgnoreCase(status.get())
                    || s.invocationStatus().legacyInvokeStatus().equalsIgnoreCase(status.get()));
        }
        return p;
    }

    private static int token(String raw) {
        try {
            int value = Integer.parseInt(raw);
            if (value < 0) {
                throw RpcRequest.invalid("NextToken", "It is not a token this API issued.");
            }
            return value;
        } catch (NumberFormatException e) {
            throw RpcRequest.invalid("NextToken", "It is not a token this API issued.");
        }
    }
}
