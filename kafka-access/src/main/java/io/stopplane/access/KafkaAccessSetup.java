package io.stopplane.access;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * Applies {@link KafkaAccess} to a cluster, as {@code admin}: each service's SCRAM credential (from the credentials
 * file), then every ACL of the table. Idempotent, so it runs on every start of the local broker and in compose's
 * {@code kafka-init}. The broker's and the admin's own credentials cannot come from here (the admin must already log in):
 * {@code kafka-storage format --add-scram} writes them.
 *
 * <p>{@code java -cp common-model.jar:<kafka libs>/* io.stopplane.access.KafkaAccessSetup credentials <file>}
 * makes the credentials file ({@code <user>=<password>} lines, random passwords, 0600) before the storage is formatted;
 * {@code … apply <bootstrap> <file>} applies the table once the brokers run, as {@code admin} with SCRAM, or as a client
 * properties file says ({@code … apply <bootstrap> <file> <admin.properties>}). Only counts are printed, never a
 * password.
 */
public final class KafkaAccessSetup {

    private static final int ITERATIONS = 8192;
    private static final SecureRandom RANDOM = new SecureRandom();

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("credentials")) {
            credentials(Path.of(args[1]));
        } else if ((args.length == 3 || args.length == 4) && args[0].equals("apply")) {
            Map<String, String> passwords = read(Path.of(args[2]));
            try (Admin client = args.length == 4 ? admin(args[1], Path.of(args[3])) : admin(args[1], passwords)) {
                int users = apply(client, passwords);
                System.out.printf("kafka access: %d service users, %d ACLs applied%n", users,
                        KafkaAccess.bindings().size());
            }
        } else {
            System.err.println("usage: KafkaAccessSetup credentials <file>"
                    + " | apply <bootstrap servers> <file> [<admin client properties>]");
            System.exit(2);
        }
    }

    /**
     * The credentials file: a random password for each of {@link KafkaAccess#users()} not in it yet (the file is
     * created readable by its owner only); returns every password in it.
     */
    public static Map<String, String> credentials(Path file) throws IOException {
        Map<String, String> passwords = Files.exists(file) ? read(file) : new HashMap<>();
        StringBuilder added = new StringBuilder();
        for (String user : KafkaAccess.users()) {
            if (!passwords.containsKey(user)) {
                byte[] bytes = new byte[24];
                RANDOM.nextBytes(bytes);
                passwords.put(user, HexFormat.of().formatHex(bytes));
                added.append(user).append('=').append(passwords.get(user)).append('\n');
            }
        }
        if (!added.isEmpty()) {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                added.insert(0, "# Kafka SCRAM passwords of this stack (KafkaAccess); keep it 0600\n");
            }
            Files.writeString(file, added, StandardOpenOption.APPEND);
        }
        return passwords;
    }

    /** An admin client logged in as {@code admin}. */
    public static Admin admin(String bootstrap, Map<String, String> passwords) {
        String password = passwords.get(KafkaAccess.ADMIN);
        if (password == null) {
            throw new IllegalStateException("no " + KafkaAccess.ADMIN + " password in the credentials");
        }
        Map<String, Object> config = new HashMap<>(KafkaLogin.scram(KafkaAccess.ADMIN, password));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "stopplane-access-setup");
        return Admin.create(config);
    }

    /** An admin client logged in as a client properties file says (compose's kafka-init: PLAIN, as kafka-topics.sh). */
    static Admin admin(String bootstrap, Path clientProperties) throws IOException {
        Map<String, Object> config = new HashMap<>(read(clientProperties));
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "stopplane-access-setup");
        return Admin.create(config);
    }

    /** Upserts the SCRAM credential of every service of the table that has a password here, then the ACLs. */
    public static int apply(Admin client, Map<String, String> passwords) throws Exception {
        List<UserScramCredentialAlteration> users = new ArrayList<>();
        for (KafkaAccess.Principal p : KafkaAccess.SERVICES) {
            String password = passwords.get(p.name());
            if (password != null) {
                users.add(new UserScramCredentialUpsertion(p.name(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password));
            }
        }
        if (!users.isEmpty()) {
            client.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
        }
        client.createAcls(KafkaAccess.bindings()).all().get(30, TimeUnit.SECONDS);
        return users.size();
    }

    public static Map<String, String> read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        Map<String, String> out = new HashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k).strip()));
        return out;
    }

    private KafkaAccessSetup() {
    }
}
