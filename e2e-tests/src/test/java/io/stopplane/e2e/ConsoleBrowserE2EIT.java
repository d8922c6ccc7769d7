package io.stopplane.e2e;

import static io.stopplane.e2e.Processes.sleeps;
import static io.stopplane.e2e.Processes.uniqueSleep;
import static io.stopplane.e2e.SharedStack.ACCOUNT;
import static io.stopplane.e2e.SharedStack.OPERATOR;
import static io.stopplane.e2e.SharedStack.READER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The operator's console in a real browser (headless Chromium) against the {@link SharedStack} (signature mode): an
 * operator signs in, runs {@code sleep} on two instances from the form, watches both go Running without a reload, stops
 * one from its row and then the rest, and the processes are really gone; a read-only key of the same account sees no
 * Stop or Run and its forged stop is refused. Screenshots of each step: {@code target/console-screenshots/}.
 */
@ExtendWith(SharedStack.Signed.class)
class ConsoleBrowserE2EIT {

    @TempDir
    static Path state;

    private static String operatorSecret;
    private static String readerSecret;
    private static Browser browser;
    private static String console;
    private static String first;
    private static String second;
    private static String third;

    @BeforeAll
    static void start(SharedStack stack) throws Exception {
        operatorSecret = stack.operatorSecret();
        readerSecret = stack.readerSecret();
        List<String> ids = stack.agentInstances();
        first = ids.get(0);
        second = ids.get(1);
        third = ids.get(2);
        console = stack.apiUrl() + "console/";
        browser = new Browser(state.resolve("chromium-profile"), Path.of("target", "console-screenshots"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void anOperatorRunsAndStopsFromTheConsoleAndAReadOnlyKeyCannotStop() throws Exception {
        browser.open(console);
        browser.find("[data-testid=sign-in]");
        assertThat(browser.async(SIGNER_VECTORS)).as("the page's V3 signer against the published vectors")
                .isEqualTo(List.of("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0",
                        "a94e028b7a477656d3d131cf8d017852053ad9fd1dba38aa90c69ef1735a32a2", false));
        browser.screenshot("sign-in");
        signIn(OPERATOR, operatorSecret);
        assertThat(browser.async(STORED_CREDENTIALS, operatorSecret)).as("the secret is stored only as a non-extractable key")
                .isEqualTo(List.of(OPERATOR, "HMAC", false, false));

        browser.open(console + "#/instances");
        browser.until(d -> browser.count("tbody[data-testid=agents] [data-status=Online]") == 3);
        browser.screenshot("instances");

        String marker = uniqueSleep();
        String invokeId = run("sleep " + marker, first, second);
        browser.until(d -> status(invokeId, first).equals("Running")
                && status(invokeId, second).equals("Running"));
        browser.screenshot("both-running");
        await().atMost(Duration.ofSeconds(30)).until(() -> sleeps(marker).size() == 2);

        row(second).findElement(By.cssSelector("[data-testid=stop-instance]")).click();
        assertThat(browser.find("#confirm-text").getText()).contains(invokeId, second, "SIGTERM", "stop grace")
                .doesNotContain(first);
        browser.screenshot("confirm-stop-one");
        browser.find("#confirm-ok").click();
        browser.until(d -> status(invokeId, second).equals("Terminated"));
        assertThat(status(invokeId, first)).isEqualTo("Running");
        assertThat(browser.text("[data-testid=invocation-status] [data-status]")).isEqualTo("Running");
        browser.until(d -> browser.count("tbody[data-testid=timeline] tr[data-type=StopRequested]") == 1);
        browser.screenshot("one-stopped");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(sleeps(marker)).filteredOn(Processes::running).hasSize(1));

        browser.find("[data-testid=stop-all]").click();
        assertThat(browser.find("#confirm-text").getText()).contains("every instance");
        browser.find("#confirm-ok").click();
        browser.until(d -> browser.text("[data-testid=invocation-status] [data-status]").equals("Stopped"));
        assertThat(status(invokeId, first)).isEqualTo("Terminated");
        assertThat(browser.count("[data-testid=stop-all], [data-testid=stop-instance]")).isZero();
        browser.until(d -> browser.count("tbody[data-testid=timeline] tr[data-type=StopRequested]") == 2);
        assertThat(browser.text("tbody[data-testid=timeline] tr[data-type=InvocationCreated] td[data-label=Who]"))
                .contains(OPERATOR, ACCOUNT);
        assertThat(browser.text("tbody[data-testid=timeline] tr[data-type=StopRequested] td[data-label=Who]"))
                .contains(OPERATOR);
        browser.screenshot("all-stopped");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(sleeps(marker)).noneMatch(Processes::running));

        // a second invocation for the read-only key to look at while it runs
        String other = uniqueSleep();
        String running = run("sleep " + other, third);
        browser.until(d -> status(running, third).equals("Running"));
        signOut();
        signIn(READER, readerSecret);
        browser.open(console + "#/");
        browser.until(d -> browser.count("tr[data-invoke-id=" + running + "] [data-status=Running]") > 0);
        assertThat(browser.count("[data-testid=stop-invocation]")).isZero();
        assertThat(browser.find("#nav-run").isDisplayed()).isFalse();
        browser.screenshot("read-only-list");
        browser.open(console + "#/invocation/" + running);
        browser.until(d -> status(running, third).equals("Running"));
        assertThat(browser.count("[data-testid=stop-all], [data-testid=stop-selected], [data-testid=stop-instance]"))
                .isZero();
        assertThat(browser.async(FORGED_STOP, running)).isEqualTo(List.of("Operation.Forbidden", 403L));
        browser.screenshot("read-only-invocation");
        assertThat(sleeps(other)).filteredOn(Processes::running).hasSize(1);

        // the phone's width: the page reflows instead of scrolling sideways
        browser.resize(390, 844);
        browser.open(console + "#/");
        browser.until(d -> browser.count("tr[data-invoke-id=" + invokeId + "]") > 0);
        assertThat((Long) browser.script("return document.documentElement.scrollWidth - window.innerWidth"))
                .isLessThanOrEqualTo(0L);
        browser.screenshot("phone-width");
        browser.resize(1280, 900);

        signOut();
        signIn(OPERATOR, operatorSecret);
        browser.open(console + "#/invocation/" + running);
        browser.find("[data-testid=stop-all]").click();
        browser.find("#confirm-ok").click();
        browser.until(d -> browser.text("[data-testid=invocation-status] [data-status]").equals("Stopped"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(sleeps(other)).noneMatch(Processes::running));
    }

    private static void signIn(String keyId, String secret) {
        browser.find("input[name=id]").sendKeys(keyId);
        browser.find("input[name=secret]").sendKeys(secret);
        browser.find("[data-testid=sign-in]").click();
        browser.until(d -> browser.text("#who").contains(keyId));
    }

    private static void signOut() {
        browser.find("#sign-out").click();
        browser.find("[data-testid=sign-in]");
    }

    /** Fills the run form and submits it; the console then shows the invocation. */
    private static String run(String content, String... instances) {
        browser.open(console + "#/run");
        browser.find("textarea[name=content]").sendKeys(content);
        browser.find("input[name=timeout]").clear();
        browser.find("input[name=timeout]").sendKeys("600");
        for (String id : instances) {
            browser.find("input[name=instance][value=" + id + "]").click();
        }
        browser.find("[data-testid=run]").click();
        String url = browser.until(d -> d.getCurrentUrl().contains("#/invocation/t-") ? d.getCurrentUrl() : null);
        return url.substring(url.indexOf("#/invocation/") + "#/invocation/".length());
    }

    private static String status(String invokeId, String instanceId) {
        if (!browser.driver().getCurrentUrl().endsWith("#/invocation/" + invokeId)) {
            return "";
        }
        return browser.text("tbody[data-testid=targets] tr[data-instance=" + instanceId + "] td[data-label=Status]");
    }

    private static org.openqa.selenium.WebElement row(String instanceId) {
        return browser.find("tbody[data-testid=targets] tr[data-instance=" + instanceId + "]");
    }

    /** Signature V3 vectors V3-a and V3-c of the API contract, signed by the page's own sign.js. */
    private static final String SIGNER_VECTORS = """
            const done = arguments[arguments.length - 1];
            import('/console/sign.js').then(async s => {
              const key = await s.importSecret('YourAccessKeySecret');
              const base = { method: 'POST', path: '/', version: '2014-05-26', date: '2023-10-26T10:22:32Z',
                nonce: '3156853299f313e23d1673dc12e1703d', body: '' };
              const sig = h => h.authorization.split('Signature=')[1];
              const a = await s.signV3('YourAccessKeyId', key, { ...base, host: 'ecs.cn-shanghai.aliyuncs.com',
                action: 'RunInstances',
                query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' } });
              const c = await s.signV3('YourAccessKeyId', key, { ...base, host: 'ecs.cn-hangzhou.aliyuncs.com',
                action: 'StopInvocation', query: { 'InstanceId.1': 'i-bp1aaaa0001', 'InstanceId.2': 'i-bp1aaaa0002',
                  InvokeId: 't-hz0jdfwd9f0001', RegionId: 'cn-hangzhou' } });
              done([sig(a), sig(c), key.extractable]);
            }).catch(e => done('error: ' + e));
            """;

    /** What the page stored: the key id, and a CryptoKey that cannot be exported; nothing in web storage. */
    private static final String STORED_CREDENTIALS = """
            const done = arguments[arguments.length - 1];
            import('/console/api.js').then(async m => {
              const api = new m.Api();
              const c = await api.restore();
              const exported = await crypto.subtle.exportKey('raw', c.key).then(() => true, () => false);
              const inStorage = (JSON.stringify(localStorage) + JSON.stringify(sessionStorage) + document.cookie)
                .includes(arguments[0]);
              done([c.accessKeyId, c.key.algorithm.name, c.key.extractable, exported || inStorage]);
            }).catch(e => done('error: ' + e));
            """;

    /** A stop sent from the read-only key's page with its own (valid) signature: the API must refuse it. */
    private static final String FORGED_STOP = """
            const done = arguments[arguments.length - 1];
            import('/console/api.js').then(async m => {
              const api = new m.Api();
              await api.restore();
              try {
                await api.call('StopInvocation', { RegionId: 'cn-hangzhou', InvokeId: arguments[0] });
                done(['accepted', 200]);
              } catch (e) {
                done([e.code, e.status]);
              }
            }).catch(e => done('error: ' + e));
            """;
}
