package io.stopplane.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alibaba's own V3 vectors (the API reference, §3): the bench signs exactly as the SDKs do. */
class AcsV3SignerTest {

    @Test
    void runInstancesVector() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("RegionId", "cn-shanghai");
        params.put("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd");
        AcsV3Signer.Signed signed = new AcsV3Signer("YourAccessKeyId", "YourAccessKeySecret").sign("POST",
                "ecs.cn-shanghai.aliyuncs.com", "RunInstances", params, "2023-10-26T10:22:32Z",
                "3156853299f313e23d1673dc12e1703d");
        assertThat(signed.headers().get("authorization")).isEqualTo("ACS3-HMAC-SHA256 Credential=YourAccessKeyId,"
                + "SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
                + "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    }

    @Test
    void stopInvocationVector() {
        Map<String, String> params = Map.of("InstanceId.1", "i-bp1aaaa0001", "InstanceId.2", "i-bp1aaaa0002",
                "InvokeId", "t-hz0jdfwd9f0001", "RegionId", "cn-hangzhou");
        AcsV3Signer.Signed signed = new AcsV3Signer("YourAccessKeyId", "YourAccessKeySecret").sign("POST",
                "ecs.cn-hangzhou.aliyuncs.com", "StopInvocation", params, "2023-10-26T10:22:32Z",
                "3156853299f313e23d1673dc12e1703d");
        assertThat(signed.query())
                .isEqualTo("InstanceId.1=i-bp1aaaa0001&InstanceId.2=i-bp1aaaa0002&InvokeId=t-hz0jdfwd9f0001"
                        + "&RegionId=cn-hangzhou");
        assertThat(signed.headers().get("authorization"))
                .endsWith("Signature=a94e028b7a477656d3d131cf8d017852053ad9fd1dba38aa90c69ef1735a32a2");
    }
}
