package io.stopplane.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stopplane.api.rpc.ApiException;
import io.stopplane.model.sign.Hashing;
import io.stopplane.model.sign.SignatureV1;
import io.stopplane.model.sign.SignatureV3;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    private static final CredentialStore STORE = CredentialStore.parse(new org.yaml.snakeyaml.Yaml().load("""
            accounts:
              - id: "1000000000000001"
                keys:
                  - accessKeyId: LTAI5tAdmin
                    accessKeySecret: "admin-secret"
                    enabled: true
                    actions: ["*"]
                  - accessKeyId: LTAI5tReader
                    accessKeySecret: "reader-secret"
                    enabled: true
                    actions: [DescribeInvocations]
                  - accessKeyId: LTAI5tOld
                    accessKeySecret: "old-secret"
                    enabled: false
              - id: "1000000000000002"
                keys:
                  - accessKeyId: LTAI5tOther
                    accessKeySecret: "other-secret"
                    enabled: true
                    actions: ["*"]
            """));

    private final Authenticator auth = new Authenticator(() -> STORE, new NonceCache(Authenticator.WINDOW, 1000),
            (key, at) -> { }, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aV1SignedRequestAuthenticatesItsAccount() {
        Principal p = auth.authenticate(v1("LTAI5tAdmin", "admin-secret", NOW, UUID.randomUUID().toString()));
        assertThat(p.accountId()).isEqualTo("1000000000000001");
        assertThat(p.accessKeyId()).isEqualTo("LTAI5tAdmin");
        assertThat(p.may("StopInvocation")).isTrue();
    }

    @Test
    void aReadOnlyKeyMayOnlyDescribe() {
        Principal p = auth.authenticate(v1("LTAI5tReader", "reader-secret", NOW, "n-1"));
        assertThat(p.may("DescribeInvocations")).isTrue();
        assertThat(p.may("StopInvocation")).isFalse();
    }

    @Test
    void theGatewayErrors() {
        assertCode(v1("LTAI5tAdmin", "wrong", NOW, "n-2"), "SignatureDoesNotMatch");
        assertCode(v1("LTAI5tNobody", "x", NOW, "n-3"), "InvalidAccessKeyId.NotFound");
        assertCode(v1("LTAI5tOld", "old-secret", NOW, "n-4"), "InvalidAccessKeyId.Inactive");
        assertCode(v1("LTAI5tAdmin", "admin-secret", NOW.minusSeconds(16 * 60), "n-5"), "InvalidTimeStamp.Expired");
        assertCode(v1("LTAI5tAdmin", "admin-secret", NOW.plusSeconds(16 * 60), "n-6"), "InvalidTimeStamp.Expired");
        SignedRequest replay = v1("LTAI5tAdmin", "admin-secret", NOW, "n-7");
        auth.authenticate(replay);
        assertCode(replay, "SignatureNonceUsed");
        Map<String, String> unsigned = new HashMap<>(Map.of("Action", "DescribeRegions"));
        assertCode(new SignedRequest("GET", "/", unsigned, unsigned, Map.of(), new byte[0]), "IncompleteSignature");
    }

    @Test
    void aBadTimestampIsAFormatError() {
        Map<String, String> p = new LinkedHashMap<>(v1("LTAI5tAdmin", "admin-secret", NOW, "n-8").params());
        p.put("Timestamp", "yesterday");
        assertCode(new SignedRequest("GET", "/", p, p, Map.of(), new byte[0]), "InvalidTimeStamp.Format");
    }

    @Test
    void theServersStringToSignIsInTheMismatchMessage() {
        assertThatThrownBy(() -> auth.authenticate(v1("LTAI5tAdmin", "wrong", NOW, "n-9")))
                .isInstanceOf(ApiException.class)
                .hasMessageContaining("server string to sign is:GET&%2F&AccessKeyId%3DLTAI5tAdmin");
    }

    @Test
    void aV3SignedRequestAuthenticatesAndItsBodyIsCovered() {
        byte[] body = "InstanceId.1=i-a".getBytes(StandardCharsets.UTF_8);
        SignedRequest ok = v3("LTAI5tOther", "other-secret", body, body, "v3-1");
        assertThat(auth.authenticate(ok).accountId()).isEqualTo("1000000000000002");
        SignedRequest tampered = v3("LTAI5tOther", "other-secret", body, "InstanceId.1=i-b".getBytes(), "v3-2");
        assertCode(tampered, "SignatureDoesNotMatch");
        SignedRequest wrong = v3("LTAI5tOther", "nope", body, body, "v3-3");
        assertCode(wrong, "SignatureDoesNotMatch");
    }

    @Test
    void aV3SignatureMustCoverEveryHeaderAlibabaRequires() {
        for (String left : Authenticator.V3_SIGNED_HEADERS) {
            List<String> signed = Authenticator.V3_SIGNED_HEADERS.stream().filter(h -> !h.equals(left)).toList();
            SignedRequest r = v3("LTAI5tOther", "other-secret", new byte[0], new byte[0], "v3-no-" + left, signed);
            assertThatThrownBy(() -> auth.authenticate(r)).as("without %s", left)
                    .isInstanceOfSatisfying(ApiException.class, e -> {
                        assertThat(e.error().code()).isEqualTo("IncompleteSignature");
                        assertThat(e.getMessage()).contains("SignedHeaders must include");
                    });
        }
    }

    @Test
    void aV3BodyMustBeTheOneItsSignedHashNames() {
        byte[] body = "InstanceId.1=i-a".getBytes(StandardCharsets.UTF_8);
        Map<String, String> query = Map.of("RegionId", "cn-hangzhou", "InvokeId", "t-abc");
        Map<String, String> headers = new HashMap<>(v3Headers("v3-hash", Hashing.sha256Hex("other".getBytes())));
        // signed over the body actually sent, but with a content hash header that names another body
        String sts = SignatureV3.stringToSign(SignatureV3.canonicalRequest("POST", "/", query, headers,
                Authenticator.V3_SIGNED_HEADERS, Hashing.sha256Hex(body)));
        headers.put("authorization", "ACS3-HMAC-SHA256 Credential=LTAI5tOther,SignedHeaders="
                + String.join(";", Authenticator.V3_SIGNED_HEADERS) + ",Signature=" + SignatureV3.sign("other-secret",
                sts));
        assertCode(new SignedRequest("POST", "/", query, query, headers, body), "SignatureDoesNotMatch");
    }

    @Test
    void anIncompleteAuthorizationHeader() {
        Map<String, String> headers = Map.of("authorization", "ACS3-HMAC-SHA256 Credential=LTAI5tAdmin");
        assertCode(new SignedRequest("POST", "/", Map.of(), Map.of(), headers, new byte[0]), "IncompleteSignature");
    }

    @Test
    void theSecretNeverShowsInAKeysText() {
        assertThat(STORE.find("LTAI5tAdmin").orElseThrow().key().toString()).doesNotContain("admin-secret");
    }

    private void assertCode(SignedRequest r, String code) {
        assertThatThrownBy(() -> auth.authenticate(r)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.error().code()).isEqualTo(code));
    }

    private static SignedRequest v1(String keyId, String secret, Instant at, String nonce) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccessKeyId", keyId);
        p.put("Action", "DescribeInvocations");
        p.put("RegionId", "cn-hangzhou");
        p.put("Format", "JSON");
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureVersion", "1.0");
        p.put("SignatureNonce", nonce);
        p.put("Timestamp", at.toString());
        p.put("Version", "2014-05-26");
        p.put("Signature", SignatureV1.sign(secret, SignatureV1.stringToSign("GET", p)));
        return new SignedRequest("GET", "/", p, p, Map.of(), new byte[0]);
    }

    private static SignedRequest v3(String keyId, String secret, byte[] signedBody, byte[] sentBody, String nonce) {
        return v3(keyId, secret, signedBody, sentBody, nonce, Authenticator.V3_SIGNED_HEADERS);
    }

    private static Map<String, String> v3Headers(String nonce, String bodyHash) {
        return Map.of("host", "127.0.0.1:8080", "x-acs-action", "StopInvocation", "x-acs-version", "2014-05-26",
                "x-acs-date", NOW.toString(), "x-acs-signature-nonce", nonce, "x-acs-content-sha256", bodyHash);
    }

    private static SignedRequest v3(String keyId, String secret, byte[] signedBody, byte[] sentBody, String nonce,
            List<String> signed) {
        Map<String, String> query = Map.of("RegionId", "cn-hangzhou", "InvokeId", "t-abc");
        Map<String, String> headers = new HashMap<>(v3Headers(nonce, Hashing.sha256Hex(signedBody)));
        String sts = SignatureV3.stringToSign(SignatureV3.canonicalRequest("POST", "/", query, headers, signed,
                Hashing.sha256Hex(signedBody)));
        headers.put("authorization", "ACS3-HMAC-SHA256 Credential=" + keyId + ",SignedHeaders=" + String.join(";", signed)
                + ",Signature=" + SignatureV3.sign(secret, sts));
        return new SignedRequest("POST", "/", query, query, headers, sentBody);
    }
}
