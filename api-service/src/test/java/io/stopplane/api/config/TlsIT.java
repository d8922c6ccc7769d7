package io.stopplane.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * TLS on the API as compose gives it: a PEM certificate and key named by {@code STOPPLANE_TLS_*}. The API answers over
 * HTTPS only; Actuator, on its own port, stays plain HTTP for the local health check.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
    "stopplane.topics.partitions=3"
})
@EmbeddedKafka(partitions = 3,
        topics = {"invocation-state", "invocation-outputs", "agent-heartbeats", "invocation-events",
            "instance-commands"},
        brokerProperties = {"transaction.state.log.replication.factor=1", "transaction.state.log.min.isr=1"})
@ActiveProfiles("test")
class TlsIT {

    private static final Path DIR = Path.of("target", "tls-it");
    private static final char[] PASSWORD = "changeit".toCharArray();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @DynamicPropertySource
    static void certificate(DynamicPropertyRegistry registry) throws Exception {
        selfSigned();
        registry.add("STOPPLANE_TLS_ENABLED", () -> "true");
        registry.add("STOPPLANE_TLS_CERTIFICATE", () -> DIR.resolve("tls.crt").toAbsolutePath().toString());
        registry.add("STOPPLANE_TLS_PRIVATE_KEY", () -> DIR.resolve("tls.key").toAbsolutePath().toString());
    }

    @Test
    void theApiAnswersOverHttpsOnlyAndActuatorStaysLocalPlainHttp() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(trusting()).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> ok = https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port
                + "/?Action=DescribeRegions&Format=JSON")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        assertThat(ok.body()).contains("\"Regions\"");

        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Throwable refused = catchThrowable(() -> {
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/?Action=DescribeRegions&Format=JSON")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("plain HTTP on the TLS port").isNotEqualTo(200);
            assertThat(r.body()).doesNotContain("\"Regions\"");
        });
        assertThat(refused).as("plain HTTP gets no answer of the API").satisfiesAnyOf(
                t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(java.io.IOException.class));

        HttpResponse<String> health = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + managementPort + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).as(health.body()).isIn(200, 503); // answered: UP, or not yet
    }

    /** A self-signed certificate for 127.0.0.1 by the JDK's keytool, written out as PEM as compose would mount it. */
    private static void selfSigned() throws Exception {
        Files.createDirectories(DIR);
        Path store = DIR.resolve("tls.p12");
        Files.deleteIfExists(store);
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "api", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", new String(PASSWORD)).inheritIO().start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        KeyStore p12 = keyStore(store);
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes());
        Files.writeString(DIR.resolve("tls.crt"), "-----BEGIN CERTIFICATE-----\n"
                + base64.encodeToString(p12.getCertificate("api").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        PrivateKey key = (PrivateKey) p12.getKey("api", PASSWORD);
        Files.writeString(DIR.resolve("tls.key"), "-----BEGIN PRIVATE KEY-----\n"
                + base64.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    }

    private static SSLContext trusting() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        Certificate cert = keyStore(DIR.resolve("tls.p12")).getCertificate("api");
        trust.setCertificateEntry("api", cert);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static KeyStore keyStore(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
