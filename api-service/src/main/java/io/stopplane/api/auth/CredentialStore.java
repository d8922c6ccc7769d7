package io.stopplane.api.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Accounts and their AccessKeys, from the YAML file named by {@code STOPPLANE_AUTH_CREDENTIALS}. */
public final class CredentialStore {

    /** A key with the account that owns it. */
    record Entry(String accountId, AccessKey key) {
    }

    private final Map<String, Entry> byKeyId;
    private final List<String> accounts;

    private CredentialStore(Map<String, Entry> byKeyId, List<String> accounts) {
        this.byKeyId = Map.copyOf(byKeyId);
        this.accounts = List.copyOf(accounts);
    }

    public static CredentialStore load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read credentials file " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    static CredentialStore parse(Object yaml) {
        if (!(yaml instanceof Map<?, ?> root) || !(root.get("accounts") instanceof List<?> list)) {
            throw new IllegalStateException("credentials file must have a top-level 'accounts' list");
        }
        Map<String, Entry> byKeyId = new HashMap<>();
        List<String> accounts = new ArrayList<>();
        for (Object a : list) {
            Map<String, Object> account = (Map<String, Object>) a;
            String id = String.valueOf(account.get("id"));
            accounts.add(id);
            for (Object k : (List<Object>) account.getOrDefault("keys", List.of())) {
                Map<String, Object> key = (Map<String, Object>) k;
                AccessKey accessKey = new AccessKey(String.valueOf(key.get("accessKeyId")),
                        String.valueOf(key.get("accessKeySecret")),
                        !Boolean.FALSE.equals(key.get("enabled")),
                        key.get("actions") == null ? null
                                : ((List<Object>) key.get("actions")).stream().map(String::valueOf).toList());
                if (byKeyId.put(accessKey.accessKeyId(), new Entry(id, accessKey)) != null) {
                    throw new IllegalStateException("AccessKeyId " + accessKey.accessKeyId() + " appears twice");
                }
            }
        }
        return new CredentialStore(byKeyId, accounts);
    }

    Optional<Entry> find(String accessKeyId) {
        return Optional.ofNullable(byKeyId.get(accessKeyId));
    }

    public List<String> accounts() {
        return accounts;
    }
}
