package io.logsdistributor.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.logsdistributor.analyzer.AnalyzerRegistry;
import io.logsdistributor.analyzer.AnalyzerSpec;
import io.logsdistributor.analyzer.AnalyzersFile;
import io.logsdistributor.config.Settings;
import io.logsdistributor.queue.PacketQueue;
import io.logsdistributor.metrics.DistributorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Renders helm/logs-distributor with the embedded Helm and checks the manifests against what the
 * application really reads and serves.
 */
class HelmChartTest {

    static final Path TEST_VALUES = Path.of("src", "test", "resources", "helm");
    static final Path CUSTOM = TEST_VALUES.resolve("custom-values.yaml");

    /** Chart-managed properties: set from dedicated values, so `settings` must not offer them. */
    static final Set<String> CHART_MANAGED = Set.of("distributor.analyzers-file", "distributor.data-dir",
            "distributor.shutdown-timeout-s", "distributor.http.host", "distributor.http.port",
            "distributor.tls.cert-file", "distributor.tls.key-file", "distributor.tls.client-ca-file",
            "distributor.api-keys-file", "distributor.analyzer-tls.ca-file", "distributor.analyzer-tls.cert-file",
            "distributor.analyzer-tls.key-file");

    /** The chart's defaults, and every optional part switched on with changed numbers. */
    static Stream<Arguments> valueSets() {
        return Stream.of(Arguments.of((Object) new Path[0]), Arguments.of((Object) new Path[] {CUSTOM}));
    }

    @Test
    void lintPassesStrictly() {
        LintResult result = new Helm(Manifests.CHART).lint().strict().call();

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    @Test
    void defaultsRenderTheCoreObjectsOnly() {
        List<String> kinds = Manifests.render().kinds();

        assertThat(kinds).contains("Deployment", "Service", "ConfigMap", "ServiceAccount", "PodDisruptionBudget")
                .doesNotContain("HorizontalPodAutoscaler", "ServiceMonitor", "Ingress", "NetworkPolicy",
                        "PersistentVolumeClaim");
        assertThat(Manifests.render().ofKind("ConfigMap")).hasSize(1);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void probesCallPathsTheAppServesOnItsPort(Path[] values) {
        Manifests manifests = Manifests.render(values);
        Map<String, Object> container = manifests.container();
        Set<String> served = AppContract.httpPaths();
        Object portName = Yaml.map(Yaml.list(container.get("ports")).get(0)).get("name");

        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            Map<String, Object> http = Yaml.map(Yaml.at(container, probe, "httpGet"));
            assertThat((String) http.get("path")).as(probe).isIn(served);
            assertThat(http.get("port")).as(probe).isEqualTo(portName);
        }
        // /health is 503 while no analyzer is reachable: restarting the distributor would not help
        assertThat((String) Yaml.at(container, "livenessProbe", "httpGet", "path")).startsWith("/observe/health");
    }

    @Test
    void camelHealthEndpointsHaveARegistryBehindThem() throws Exception {
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.build();
            // without camel-health on the classpath /observe/health/* answer 500 and every probe fails
            assertThat(HealthCheckRegistry.get(context)).isNotNull();
        }
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void appListensOnTheContainerPortTheServiceTargets(Path[] values) {
        Manifests manifests = Manifests.render(values);
        Map<String, Object> port = Yaml.map(Yaml.list(manifests.container().get("ports")).get(0));
        Map<String, Object> servicePort = Yaml.map(Yaml.list(Yaml.at(manifests.one("Service"), "spec", "ports")).get(0));

        assertThat(manifests.env()).containsEntry("HTTP_PORT", String.valueOf(port.get("containerPort")));
        assertThat(servicePort.get("targetPort")).isEqualTo(port.get("name"));
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyEnvNameIsOneTheAppReadsOrAVolumePathUses(Path[] values) {
        Manifests manifests = Manifests.render(values);
        Set<String> allowed = new TreeSet<>(AppContract.envNames());
        allowed.addAll(subPathExprVariables(manifests));

        assertThat(manifests.env().keySet()).isSubsetOf(allowed);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void renderedSettingsPassTheAppsOwnValidation(Path[] values) {
        Map<String, String> env = Manifests.render(values).env();
        Map<String, String> properties = AppContract.defaults();
        for (String key : AppContract.distributorKeys()) {
            if (env.containsKey(AppContract.envName(key))) {
                properties.put(key, env.get(AppContract.envName(key)));
            }
        }

        Settings settings = Settings.load(properties::get);

        assertThat(settings.dataDir().toString()).isEqualTo(env.get("DISTRIBUTOR_DATA_DIR"));
    }

    @Test
    void customSettingsBecomeTheirPropertiesEnvVars() {
        Map<String, String> env = Manifests.render(CUSTOM).env();
        Map<String, Object> settings = Yaml.map(loadYaml(CUSTOM).get("settings"));

        assertThat(settings).isNotEmpty();
        settings.forEach((key, value) ->
                assertThat(env).containsEntry(AppContract.envName("distributor." + key), String.valueOf(value)));
    }

    @Test
    void schemaOffersExactlyTheAppsTunableSettings() throws IOException {
        JsonNode schema = new ObjectMapper().readTree(Manifests.CHART.resolve("values.schema.json").toFile());
        Set<String> offered = new TreeSet<>();
        schema.at("/properties/settings/properties").fieldNames().forEachRemaining(k -> offered.add("distributor." + k));
        Set<String> tunable = new TreeSet<>(AppContract.distributorKeys());
        tunable.removeAll(CHART_MANAGED);

        assertThat(offered).isEqualTo(tunable);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void renderedAnalyzersFilePassesTheAppsValidation(Path[] values) {
        Manifests manifests = Manifests.render(values);
        List<AnalyzerSpec> specs = AnalyzersFile.parse(analyzersYaml(manifests), "rendered analyzers.yaml");

        List<Object> expected = Yaml.list(loadYaml(values.length == 0
                ? Manifests.CHART.resolve("values.yaml") : values[0]).get("analyzers"));
        assertThat(specs).hasSameSizeAs(expected);
        for (int i = 0; i < specs.size(); i++) {
            Map<String, Object> entry = Yaml.map(expected.get(i));
            assertThat(specs.get(i).id()).isEqualTo(entry.get("id"));
            assertThat(specs.get(i).weight()).isEqualTo(((Number) entry.get("weight")).doubleValue());
        }
    }

    @Test
    void operatorsOwnAnalyzersFileIsMountedAsIs(@TempDir Path dir) throws IOException {
        String own = Files.readString(TEST_VALUES.resolve("operator-analyzers.yaml"));
        Manifests manifests = Manifests.render(valuesFile(dir, Map.of("analyzersYaml", own)));

        assertThat(analyzersYaml(manifests)).isEqualToIgnoringWhitespace(own);
        assertThat(AnalyzersFile.parse(analyzersYaml(manifests), "rendered").stream().map(AnalyzerSpec::id))
                .containsExactly("blue", "green");
    }

    @Test
    void existingAnalyzersConfigMapIsMountedInsteadOfTheChartsFile() {
        Manifests manifests = Manifests.render(Map.of("existingAnalyzersConfigMap.name", "fleet-analyzers",
                "existingAnalyzersConfigMap.key", "fleet.yaml"));

        Map<String, Object> volume = analyzersVolume(manifests);
        assertThat(Yaml.at(volume, "configMap", "name")).isEqualTo("fleet-analyzers");
        assertThat(Yaml.map(Yaml.list(Yaml.at(volume, "configMap", "items")).get(0)))
                .containsEntry("key", "fleet.yaml").containsEntry("path", "analyzers.yaml");
        assertThat(Yaml.map(manifests.one("ConfigMap").get("data"))).doesNotContainKey("analyzers.yaml");
    }

    @Test
    void analyzersFileEnvPointsAtTheMountedFile() {
        Manifests manifests = Manifests.render();
        Path file = Path.of(manifests.env().get("ANALYZERS_FILE"));
        Map<String, Object> volume = analyzersVolume(manifests);

        assertThat(manifests.mount("analyzers").get("mountPath")).isEqualTo(file.getParent().toString());
        assertThat(Yaml.map(Yaml.list(Yaml.at(volume, "configMap", "items")).get(0)))
                .containsEntry("path", file.getFileName().toString());
    }

    @Test
    void checksumChangesWithAWeightAndOnlyWithConfiguration(@TempDir Path dir) throws IOException {
        String base = Manifests.render().podAnnotation("checksum/config");
        String reweighted = Manifests.render(valuesFile(dir, Map.of("analyzers", defaultAnalyzersWithFirstWeight(0.5))))
                .podAnnotation("checksum/config");
        String rescaled = Manifests.render(Map.of("resources.limits.memory", "2Gi")).podAnnotation("checksum/config");

        assertThat(base).isNotBlank();
        assertThat(reweighted).isNotEqualTo(base);
        assertThat(rescaled).isEqualTo(base);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void deadLettersGoToAWritableVolumeOnAReadOnlyRoot(Path[] values) {
        Manifests manifests = Manifests.render(values);
        Map<String, Object> container = manifests.container();
        String dataDir = manifests.env().get("DISTRIBUTOR_DATA_DIR");

        assertThat(Yaml.at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(Yaml.at(manifests.podSpec(), "securityContext", "runAsNonRoot")).isEqualTo(true);
        for (String writable : List.of(dataDir, "/tmp")) {
            Map<String, Object> volume = manifests.volumeMountedAt(writable)
                    .orElseThrow(() -> new AssertionError("nothing mounted at " + writable));
            assertThat(manifests.mount((String) volume.get("name")).get("readOnly")).as(writable).isNotEqualTo(true);
            assertThat(volume.keySet()).as(writable).containsAnyOf("emptyDir", "persistentVolumeClaim");
        }
    }

    @Test
    void persistenceMountsTheClaimItCreates() {
        Manifests manifests = Manifests.render(CUSTOM);
        Map<String, Object> volume = manifests.volumeMountedAt(manifests.env().get("DISTRIBUTOR_DATA_DIR")).orElseThrow();
        Map<String, Object> claim = manifests.one("PersistentVolumeClaim");

        assertThat(Yaml.at(volume, "persistentVolumeClaim", "claimName")).isEqualTo(Yaml.at(claim, "metadata", "name"));
        // replicas share the claim: each must write its own directory, named after the pod
        String variable = subPathExprVariables(manifests).iterator().next();
        Map<String, Object> podName = Yaml.list(manifests.container().get("env")).stream().map(Yaml::map)
                .filter(e -> variable.equals(e.get("name"))).findFirst().orElseThrow();
        assertThat(Yaml.at(podName, "valueFrom", "fieldRef", "fieldPath")).isEqualTo("metadata.name");
    }

    /** Variables that volume mounts expand in subPathExpr: Kubernetes reads those, not the app. */
    static Set<String> subPathExprVariables(Manifests manifests) {
        Set<String> names = new TreeSet<>();
        for (Object mount : Yaml.list(manifests.container().get("volumeMounts"))) {
            if (Yaml.map(mount).get("subPathExpr") instanceof String expr) {
                Matcher m = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)").matcher(expr);
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void gracePeriodCoversPreStopAndDrain(Path[] values) {
        Manifests manifests = Manifests.render(values);
        List<Object> preStop = Yaml.list(Yaml.at(manifests.container(), "lifecycle", "preStop", "exec", "command"));
        int sleep = Integer.parseInt((String) preStop.get(1));
        int drain = Integer.parseInt(manifests.env().get("DISTRIBUTOR_SHUTDOWN_TIMEOUT_S"));
        int grace = ((Number) manifests.podSpec().get("terminationGracePeriodSeconds")).intValue();

        assertThat(preStop.get(0)).isEqualTo("sleep");
        assertThat(grace).isGreaterThan(sleep + drain);
        assertThat(manifests.podSpec().get("enableServiceLinks")).isEqualTo(false);
    }

    @Test
    void autoscalingReplacesTheFixedReplicaCount() {
        Manifests fixed = Manifests.render();
        Manifests scaled = Manifests.render(CUSTOM);
        Map<String, Object> hpa = scaled.one("HorizontalPodAutoscaler");

        assertThat(Yaml.at(fixed.deployment(), "spec", "replicas")).isNotNull();
        assertThat(Yaml.at(scaled.deployment(), "spec", "replicas")).isNull();
        assertThat(Yaml.at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(Yaml.at(scaled.deployment(), "metadata", "name"));
        assertThat(Yaml.at(Yaml.list(Yaml.at(hpa, "spec", "metrics")).get(0), "resource", "name")).isEqualTo("cpu");
    }

    @Test
    void disruptionBudgetSelectsThePodsAndCanBeTurnedOff() {
        Manifests manifests = Manifests.render();
        Map<String, Object> pdb = manifests.one("PodDisruptionBudget");

        assertThat(Yaml.map(Yaml.at(manifests.deployment(), "spec", "template", "metadata", "labels")))
                .containsAllEntriesOf(Yaml.map(Yaml.at(pdb, "spec", "selector", "matchLabels")));
        assertThat(Manifests.render(Map.of("podDisruptionBudget.enabled", false)).ofKind("PodDisruptionBudget")).isEmpty();
    }

    @Test
    void serviceMonitorScrapesTheAppsMetricsWithAKeyWhenKeysAreRequired() {
        Manifests manifests = Manifests.render(CUSTOM);
        Map<String, Object> endpoint = Yaml.map(Yaml.list(Yaml.at(manifests.one("ServiceMonitor"), "spec", "endpoints")).get(0));

        assertThat((String) endpoint.get("path")).isIn(AppContract.routePaths());
        assertThat(endpoint.get("port")).isEqualTo(Yaml.at(Yaml.list(Yaml.at(manifests.one("Service"), "spec", "ports")).get(0), "name"));
        assertThat(Yaml.at(endpoint, "authorization", "credentials", "name")).isEqualTo("distributor-scrape-key");
        assertThat(endpoint.get("scheme")).isEqualTo("https");
        assertThat(Manifests.render().ofKind("ServiceMonitor")).isEmpty();
    }

    @Test
    void securitySecretsAreMountedWhereTheEnvPointsAndProbesSpeakHttps() {
        Manifests manifests = Manifests.render(CUSTOM);
        Map<String, String> env = manifests.env();

        assertThat(env).containsKeys("API_KEYS_FILE", "TLS_CERT_FILE", "TLS_KEY_FILE").doesNotContainKey("TLS_CLIENT_CA_FILE");
        assertThat(secretMountedFor(manifests, env.get("API_KEYS_FILE"))).isEqualTo("distributor-api-keys");
        assertThat(secretMountedFor(manifests, env.get("TLS_CERT_FILE"))).isEqualTo("distributor-tls");
        assertThat(secretMountedFor(manifests, env.get("TLS_KEY_FILE"))).isEqualTo("distributor-tls");
        assertThat(Yaml.at(manifests.container(), "readinessProbe", "httpGet", "scheme")).isEqualTo("HTTPS");
        assertThat(Manifests.render().env()).doesNotContainKeys("API_KEYS_FILE", "TLS_CERT_FILE", "TLS_KEY_FILE");
    }

    @Test
    void mutualTlsMountsTheClientCaAndProbesFallBackToTcp() {
        Manifests manifests = Manifests.render(Map.of("security.tls.clientCA.enabled", true), CUSTOM);

        assertThat(secretMountedFor(manifests, manifests.env().get("TLS_CLIENT_CA_FILE"))).isEqualTo("distributor-tls");
        assertThat(Yaml.at(manifests.container(), "livenessProbe", "tcpSocket", "port")).isEqualTo("http");
    }

    @Test
    void routeFilesAreMountedWhereTheIncludePatternLooks() {
        Manifests manifests = Manifests.render(CUSTOM);
        String pattern = manifests.env().get("CAMEL_MAIN_ROUTESINCLUDEPATTERN");
        String fileDir = Stream.of(pattern.split(",")).filter(p -> p.startsWith("file:")).findFirst().orElseThrow()
                .substring("file:".length()).replace("/*.yaml", "");
        Map<String, Object> volume = manifests.volumeMountedAt(fileDir).orElseThrow();
        Map<String, Object> routes = manifests.named("ConfigMap", (String) Yaml.at(volume, "configMap", "name")).orElseThrow();

        // mode add keeps the packaged routes
        assertThat(pattern).contains("classpath:routes/*.yaml");
        assertThat(AppContract.platformHttpPaths((String) Yaml.map(routes.get("data")).get("ping.yaml"))).containsExactly("/ping");
        assertThat(manifests.podAnnotation("checksum/routes")).isNotBlank();
        assertThat(Manifests.render(Map.of("routes.mode", "replace"), CUSTOM).env().get("CAMEL_MAIN_ROUTESINCLUDEPATTERN"))
                .isEqualTo("file:" + fileDir + "/*.yaml");
        assertThat(Manifests.render().env()).doesNotContainKey("CAMEL_MAIN_ROUTESINCLUDEPATTERN");
    }

    @Test
    void extraJvmOptionsFollowTheImagesDefaults() {
        Manifests manifests = Manifests.render(CUSTOM);
        Map<String, Object> config = manifests.named("ConfigMap", (String) Yaml.at(manifests.volume("jvm"), "configMap", "name"))
                .orElseThrow();
        String options = (String) Yaml.map(config.get("data")).get("jvm.options");

        assertThat(options).isNotNull();
        assertThat(options.lines().filter(l -> l.startsWith("-")).toList())
                .containsExactlyElementsOf(Yaml.list(Yaml.at(loadYaml(CUSTOM), "jvm", "extraOptions")).stream().map(String::valueOf).toList());
        assertThat(manifests.mount("jvm").get("mountPath")).isEqualTo(Path.of(DockerEntrypointTest.EXTRA_OPTIONS).getParent().toString());
    }

    @Test
    void ingressAndNetworkPolicyTargetTheServiceAndPods() {
        Manifests manifests = Manifests.render(CUSTOM);
        Map<String, Object> path = Yaml.map(Yaml.list(Yaml.at(Yaml.list(Yaml.at(manifests.one("Ingress"), "spec", "rules")).get(0),
                "http", "paths")).get(0));
        Map<String, Object> policy = manifests.one("NetworkPolicy");

        assertThat((String) path.get("path")).isIn(AppContract.routePaths());
        assertThat(Yaml.at(path, "backend", "service", "name")).isEqualTo(Yaml.at(manifests.one("Service"), "metadata", "name"));
        assertThat(Yaml.map(Yaml.at(manifests.deployment(), "spec", "template", "metadata", "labels")))
                .containsAllEntriesOf(Yaml.map(Yaml.at(policy, "spec", "podSelector", "matchLabels")));
        assertThat(Yaml.list(Yaml.at(policy, "spec", "policyTypes"))).contains("Ingress", "Egress");
    }

    @Test
    void schemaRejectsANegativeWeight(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Manifests.render(TEST_VALUES.resolve("negative-weight.yaml")))
                .hasMessageContaining("/analyzers/0/weight");
        assertThatThrownBy(() -> Manifests.render(valuesFile(dir, Map.of("analyzers", defaultAnalyzersWithFirstWeight(0)))))
                .hasMessageContaining("/analyzers/0/weight");
        // the same list with a valid weight renders, so the weight alone is what was refused
        assertThat(Manifests.render(valuesFile(dir, Map.of("analyzers", defaultAnalyzersWithFirstWeight(0.01)))).kinds())
                .contains("Deployment");
    }

    @Test
    void schemaRejectsUnknownOrOutOfRangeSettings(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> Manifests.render(valuesFile(dir, Map.of("settings", Map.of("queue.capcity", 10)))))
                .hasMessageContaining("queue.capcity");
        assertThatThrownBy(() -> Manifests.render(valuesFile(dir, Map.of("settings", Map.of("queue.consumers", 0)))))
                .hasMessageContaining("queue.consumers");
    }

    @Test
    void dashboardQueriesOnlyMetricsTheAppExports() throws IOException {
        Manifests manifests = Manifests.render(CUSTOM);
        Map<String, Object> dashboard = manifests.ofKind("ConfigMap").stream()
                .filter(c -> Yaml.map(Yaml.at(c, "metadata", "labels")).containsKey("grafana_dashboard")).findFirst().orElseThrow();
        JsonNode json = new ObjectMapper().readTree((String) Yaml.map(dashboard.get("data")).get("logs-distributor.json"));
        Set<String> queried = new TreeSet<>();
        for (JsonNode expr : json.findValues("expr")) {
            Matcher m = Pattern.compile("\\bdistributor_[a-z_]+").matcher(expr.asText());
            while (m.find()) {
                queried.add(m.group());
            }
        }

        assertThat(queried).isNotEmpty().isSubsetOf(exportedMetricNames(analyzersYaml(manifests)));
        assertThat(queried).contains("distributor_packets_total", "distributor_messages_total",
                "distributor_messages_by_analyzer_total", "distributor_analyzer_weight", "distributor_queue_depth",
                "distributor_healthy_analyzers", "distributor_delivery_seconds_bucket", "distributor_dead_letters_total");
        assertThat(Manifests.render().ofKind("ConfigMap")).noneMatch(c -> Yaml.map(c.get("data")).containsKey("logs-distributor.json"));
    }

    /** Metric names a PrometheusMeterRegistry shows for the app's meters, built for these analyzers. */
    static Set<String> exportedMetricNames(String analyzersYaml) {
        Settings settings = Settings.load(AppContract.defaults()::get);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DistributorMetrics metrics = new DistributorMetrics(registry,
                new AnalyzerRegistry(AnalyzersFile.parse(analyzersYaml, "rendered"), settings), new PacketQueue(10, 1 << 20));
        // counters per rejection reason appear with the first rejection
        metrics.rejected("queue_full");
        Set<String> names = new TreeSet<>();
        registry.scrape().lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    static List<Object> defaultAnalyzersWithFirstWeight(double weight) {
        List<Object> analyzers = Yaml.list(loadYaml(Manifests.CHART.resolve("values.yaml")).get("analyzers"));
        Map<String, Object> first = new HashMap<>(Yaml.map(analyzers.get(0)));
        first.put("weight", weight);
        List<Object> changed = new ArrayList<>(analyzers);
        changed.set(0, first);
        return changed;
    }

    static String analyzersYaml(Manifests manifests) {
        String name = (String) Yaml.at(analyzersVolume(manifests), "configMap", "name");
        Map<String, Object> configMap = manifests.named("ConfigMap", name).orElseThrow();
        return (String) Yaml.map(configMap.get("data")).get("analyzers.yaml");
    }

    static Map<String, Object> analyzersVolume(Manifests manifests) {
        return manifests.volume((String) manifests.mount("analyzers").get("name"));
    }

    /** The name of the Secret whose volume is mounted at the file's directory. */
    static String secretMountedFor(Manifests manifests, String file) {
        Map<String, Object> volume = manifests.volumeMountedAt(Path.of(file).getParent().toString()).orElseThrow(
                () -> new AssertionError("nothing mounted for " + file));
        return (String) Yaml.at(volume, "secret", "secretName");
    }

    static Map<String, Object> loadYaml(Path file) {
        try {
            return Yaml.map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Values with structure (maps, multi-line strings) that --set cannot express. */
    static Path valuesFile(Path dir, Map<String, Object> values) throws IOException {
        Path file = Files.createTempFile(dir, "values", ".yaml");
        Files.writeString(file, new Dump(DumpSettings.builder().build()).dumpToString(new HashMap<>(values)));
        return file;
    }
}
