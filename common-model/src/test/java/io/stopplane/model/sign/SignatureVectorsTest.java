package io.stopplane.model.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The published vectors of the reference (§3): V1-a, V1-a', V1-c, V1-c', V3-a, V3-c. */
class SignatureVectorsTest {

    private static Map<String, String> paramsV1a() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccessKeyId", "testid");
        p.put("Action", "DescribeRegions");
        p.put("Format", "XML");
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf");
        p.put("SignatureVersion", "1.0");
        p.put("Timestamp", "2016-02-23T12:46:24Z");
        p.put("Version", "2014-05-26");
        return p;
    }

    private static Map<String, String> paramsV1c() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("AccessKeyId", "testid");
        p.put("Action", "StopInvocation");
        p.put("Format", "JSON");
        p.put("InstanceId.1", "i-bp1aaaa0001");
        p.put("InstanceId.2", "i-bp1aaaa0002");
        p.put("InvokeId", "t-hz0jdfwd9f0001");
        p.put("RegionId", "cn-hangzhou");
        p.put("SignatureMethod", "HMAC-SHA1");
        p.put("SignatureNonce", "edb2b34af0af9a6d14deaf7c1a5315eb");
        p.put("SignatureVersion", "1.0");
        p.put("Timestamp", "2023-03-13T08:34:30Z");
        p.put("Version", "2014-05-26");
        return p;
    }

    @Test
    void v1a() {
        assertThat(SignatureV1.sign("testsecret", SignatureV1.stringToSign("GET", paramsV1a())))
                .isEqualTo("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    @Test
    void v1aPost() {
        assertThat(SignatureV1.sign("testsecret", SignatureV1.stringToSign("POST", paramsV1a())))
                .isEqualTo("MxbnVAM4w6sft9xjVpe/GCKueuk=");
    }

    @Test
    void v1c() {
        assertThat(SignatureV1.sign("testsecret", SignatureV1.stringToSign("GET", paramsV1c())))
                .isEqualTo("/FRnJLVHel41LQnachm4IgO6ipg=");
    }

    @Test
    void v1cPostWithEmptySignatureType() {
        Map<String, String> p = paramsV1c();
        p.put("SignatureType", "");
        assertThat(SignatureV1.sign("testsecret", SignatureV1.stringToSign("POST", p)))
                .isEqualTo("Vcu3XjAD22czkPMK0v4x7xeLsT0=");
    }

    @Test
    void v1IgnoresTheSignatureParameterItself() {
        Map<String, String> p = paramsV1a();
        p.put("Signature", "whatever");
        assertThat(SignatureV1.sign("testsecret", SignatureV1.stringToSign("GET", p)))
                .isEqualTo("OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
    }

    @Test
    void v3a() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd");
        query.put("RegionId", "cn-shanghai");
        assertThat(v3("ecs.cn-shanghai.aliyuncs.com", "RunInstances", query))
                .isEqualTo("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    }

    @Test
    void v3c() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("InstanceId.1", "i-bp1aaaa0001");
        query.put("InstanceId.2", "i-bp1aaaa0002");
        query.put("InvokeId", "t-hz0jdfwd9f0001");
        query.put("RegionId", "cn-hangzhou");
        assertThat(v3("ecs.cn-hangzhou.aliyuncs.com", "StopInvocation", query))
                .isEqualTo("a94e028b7a477656d3d131cf8d017852053ad9fd1dba38aa90c69ef1735a32a2");
    }

    @Test
    void percentEncodingFollowsRfc3986() {
        assertThat(Percent.encode("a b*c~d/é")).isEqualTo("a%20b%2Ac~d%2F%C3%A9");
    }

    @Test
    void constantTimeComparison() {
        assertThat(Hashing.constantTimeEquals("abc", "abc")).isTrue();
        assertThat(Hashing.constantTimeEquals("abc", "abd")).isFalse();
        assertThat(Hashing.constantTimeEquals("abc", null)).isFalse();
    }

    private static String v3(String host, String action, Map<String, String> query) {
        String bodyHash = Hashing.sha256Hex(new byte[0]);
        Map<String, String> headers = Map.of("host", host, "x-acs-action", action, "x-acs-version", "2014-05-26",
                "x-acs-date", "2023-10-26T10:22:32Z", "x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d",
                "x-acs-content-sha256", bodyHash);
        List<String> signed = List.of("host", "x-acs-action", "x-acs-content-sha256", "x-acs-date",
                "x-acs-signature-nonce", "x-acs-version");
        String canonical = SignatureV3.canonicalRequest("POST", "/", query, headers, signed, bodyHash);
        return SignatureV3.sign("YourAccessKeySecret", SignatureV3.stringToSign(canonical));
    }
}
