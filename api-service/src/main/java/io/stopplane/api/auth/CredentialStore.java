package io.stopplane.api.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Accounts and their AccessKeys, from the YAML file named by {@code STOPPLANE_AUTH_CREDENTIALS}: one immutable snapshot
 * (see {@link ReloadingCredentials} for the reload). Fails closed: a key is enabled only with {@code enabled: true} and
 * may call only the {@code actions} it lists. Its secret is exactly one of {@code accessKeySecret} (in the file),
 * {@code secretFile} (a file holding it, as container platforms mount secrets; surrounding whitespace trimmed) or
 * {@code secretEnv} (an environment variable holding it). A file that breaks any rule is refused whole.
 */
public final class CredentialStore {

    /** A key with the account that owns it. */
    record Entry(String accountId, AccessKey key) {
    }

    /** What every secret of deploy/credentials.example.yml contains. */
    static final String EXAMPLE_MARK = "change-me";

    private final Map<String, Entry> byKeyId;
    private final List<String> accounts;

    private CredentialStore(Map<String, Entry> byKeyId, List<String> accounts) {
        this.byKeyId = Map.copyOf(byKeyId);
        this.accounts = List.copyOf(accounts);
    }

    public static CredentialStore load(Path file) {
        return load(file, System::getenv);
    }

    static CredentialStore load(Path file, UnaryOperator<String> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read credentials file " + file + ": " + e.getMessage(), e);
        }
        Object yaml;
        try {
            yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            // the parser's message quotes the file, secrets included: say where, not what
            throw new IllegalStateException("credentials file " + file + " is not valid YAML");
        }
        return parse(yaml, env, file.toAbsolutePath().getParent());
    }

    static CredentialStore parse(Object yaml) {
        return parse(yaml, System::getenv, Path.of("."));
    }

    static CredentialStore parse(Object yaml, UnaryOperator<String> env, Path dir) {
        if (!(yaml instanceof Map<?, ?> root) || !(root.get("accounts") instanceof List<?> list)) {
            throw new IllegalStateException("credentials file must have a top-level 'accounts' list");
        }
        Map<String, Entry> byKeyId = new HashMap<>();
        List<String> accounts = new ArrayList<>();
        for (Object a : list) {
            if (!(a instanceof Map<?, ?> account) || account.get("id") == null) {
                throw new IllegalStateException("every account needs an 'id'");
            }
            String id = String.valueOf(account.get("id"));
            accounts.add(id);
            Object keys = account.get("keys") == null ? List.of() : account.get("keys");
            if (!(keys instanceof List<?> keyList)) {
                throw new IllegalStateException("account " + id + ": 'keys' must be a list");
            }
            for (Object k : keyList) {
                AccessKey accessKey = key(id, k, env, dir);
                if (byKeyId.put(accessKey.accessKeyId(), new Entry(id, accessKey)) != null) {
                    throw new IllegalStateException("AccessKeyId " + accessKey.accessKeyId() + " appears twice");
                }
            }
        }
        return new CredentialStore(byKeyId, accounts);
    }

    private static AccessKey key(String accountId, Object k, UnaryOperator<String> env, Path dir) {
        if (!(k instanceof Map<?, ?> key) || key.get("accessKeyId") == null) {
            throw new IllegalStateException("account " + accountId + ": every key needs an 'accessKeyId'");
        }
        String keyId = String.valueOf(key.get("accessKeyId"));
        Object actions = key.get("actions");
        if (actions != null && !(actions instanceof List<?>)) {
            throw new IllegalStateException("key " + keyId + ": 'actions' must be a list");
        }
        return new AccessKey(keyId, secret(keyId, key, env, dir), Boolean.TRUE.equals(key.get("enabled")),
                actions == null ? null : ((List<?>) actions).stream().map(String::valueOf).toList());
    }

    private static String secret(String keyId, Map<?, ?> key, UnaryOperator<String> env, Path dir) {
        Object inline = key.get("accessKeySecret");
        Object file = key.get("secretFile");
        Object variable = key.get("secretEnv");
        long given = (inline != null ? 1 : 0) + (file != null ? 1 : 0) + (variable != null ? 1 : 0);
        if (given != 1) {
            throw new IllegalStateException("key " + keyId
                    + ": give exactly one of accessKeySecret, secretFile, secretEnv");
        }
        String secret;
        if (inline != null) {
            secret = String.valueOf(inline);
        } else if (file != null) {
            Path path = dir.resolve(String.valueOf(file));
            try {
                secret = Files.readString(path, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IllegalStateException("key " + keyId + ": cannot read secretFile " + path);
            }
        } else {
            secret = env.apply(String.valueOf(variable));
            if (secret == null) {
                throw new IllegalStateException("key " + keyId + ": environment variable " + variable + " is not set");
            }
        }
        if (secret.isEmpty()) {
            throw new IllegalStateException("key " + keyId + ": the secret is empty");
        }
        return secret;
    }

    /**
     * This store, unless a secret is one of the example file's (they all contain {@code change-me}): those are public,
     * so a deployment that serves them serves anyone. Allowed only when asked for explicitly.
     */
    CredentialStore refusingExampleSecrets(boolean allowed) {
        if (allowed) {
            return this;
        }
        List<String> keys = byKeyId.values().stream().filter(e -> e.key().accessKeySecret().contains(EXAMPLE_MARK))
                .map(e -> e.key().accessKeyId()).sorted().toList();
        if (!keys.isEmpty()) {
            throw new IllegalStateException("keys " + keys + " have the example file's public secrets (\"" + EXAMPLE_MARK
                    + "\"): give them real secrets, or set STOPPLANE_ALLOW_EXAMPLE_SECRETS=true to run the example");
        }
        return this;
    }

    Optional<Entry> find(String accessKeyId) {
        return Optional.ofNullable(byKeyId.get(accessKeyId));
    }

    public List<String> accounts() {
        return accounts;
    }

    /** Same accounts and keys (secrets included): a reload that changed nothing is not news. */
    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialStore other && byKeyId.equals(other.byKeyId) && accounts.equals(other.accounts);
    }

    @Override
    public int hashCode() {
        return byKeyId.hashCode();
    }
}
