package io.logsdistributor.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
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
    static final Path ROLL_PODS = TEST_VALUES.resolve("roll-pods.yaml");

    /** Chart-managed properties: set from dedicated values, so `settings` must not offer them. */
    static final Set<String> CHART_MANAGED = Set.of("distributor.analyzers-file", "distributor.data-dir",
            "distributor.shutdown-timeout-s", "distributor.http.host", "distributor.http.port",
            "distributor.tls.cert-file", "distributor.tls.key-file", "distributor.tls.client-ca-file",
            "distributor.api-keys-file", "distributor.analyzer-tls.ca-file", "distributor.analyzer-tls.cert-file",
            "distributor.analyzer-tls.key-file", "distributor.queue.dir", "distributor.kafka.bootstrap-servers",
            "distributor.kafka.topic", "distributor.kafka.consumer-group", "distributor.kafka.partitions",
            "distributor.kafka.replication-factor", "distributor.kafka.send-timeout-ms");

    /** Where kafka.tlsSecret's files are, as an option names them. */
    static final String TRUSTSTORE = "/etc/logs-distributor/kafka-tls/ca.crt";

    /** The chart's defaults, and every optional part switched on with changed numbers. */
    static Stream<Arguments> valueSets() {
        return Stream.of(Arguments.of((Object) new Path[0]), Arguments.of((Object) new Path[] {CUSTOM}));
    }

    /** Helm's lint takes no values files: it lints a copy of the chart whose values.yaml has them merged in. */
    @ParameterizedTest
    @MethodSource("lintSets")
    void lintPassesStrictly(Path[] values, @TempDir Path dir) throws IOException {
        Path chart = ChartCopy.withValues(Manifests.CHART, dir.resolve("logs-distributor"), values);

        LintResult result = new Helm(chart).lint().strict().call();

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    static Stream<Arguments> lintSets() {
        return Stream.concat(valueSets(), Stream.of(Arguments.of((Object) new Path[] {ROLL_PODS})));
    }

    /** The copy's values are what lint checks: a value the schema refuses makes it fail. */
    @Test
    void lintChecksTheMergedValues(@TempDir Path dir) throws IOException {
        Path chart = ChartCopy.withValues(Manifests.CHART, dir.resolve("logs-distributor"),
                valuesFile(dir, Map.of("persistence", Map.of("size", "a lot"))));

        assertThat(new Helm(chart).lint().strict().call().isFailed()).isTrue();
    }

    @Test
    void defaultsRenderTheCoreObjectsOnly() {
        List<String> kinds = Manifests.render().kinds();

        assertThat(kinds).contains("Deployment", "Service", "ConfigMap", "ServiceAccount", "PodDisruptionBudget")
                .doesNotContain("StatefulSet", "HorizontalPodAutoscaler", "ServiceMonitor", "Ingress", "NetworkPolicy",
                        "PersistentVolumeClaim");
        assertThat(Manifests.render().ofKind("ConfigMap")).hasSize(1);
        assertThat(Manifests.render().ofKind("Service")).hasSize(1);
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
        Map<String, Object> servicePort = Yaml.map(Yaml.list(Yaml.at(manifests.service(), "spec", "ports")).get(0));

        assertThat(manifests.env()).containsEntry("HTTP_PORT", String.valueOf(port.get("containerPort")));
        assertThat(servicePort.get("targetPort")).isEqualTo(port.get("name"));
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void everyEnvNameIsOneTheAppReads(Path[] values) {
        Manifests manifests = Manifests.render(values);

        assertThat(manifests.env().keySet()).isSubsetOf(AppContract.envNames());
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

    /** The kubelet never updates a ConfigMap mounted with subPath: the app could not see a new file. */
    @ParameterizedTest
    @MethodSource("lintSets")
    void analyzersFileIsInsideADirectoryMountTheKubeletUpdates(Path[] values) {
        Manifests manifests = Manifests.render(values);
        Path file = Path.of(manifests.env().get("ANALYZERS_FILE"));
        Map<String, Object> mount = manifests.mount("analyzers");
        Map<String, Object> volume = analyzersVolume(manifests);

        assertThat(mount).doesNotContainKeys("subPath", "subPathExpr");
        assertThat(mount.get("mountPath")).isEqualTo(file.getParent().toString());
        assertThat(Yaml.map(Yaml.list(Yaml.at(volume, "configMap", "items")).get(0)))
                .containsEntry("path", file.getFileName().toString());
    }

    /** The app re-reads analyzers.yaml in place (contract §9): a weight change reaches the ConfigMap only. */
    @ParameterizedTest
    @MethodSource("valueSets")
    void aWeightChangeUpdatesTheConfigMapWithoutRollingThePods(Path[] values, @TempDir Path dir) throws IOException {
        Manifests before = Manifests.render(values);
        Manifests after = Manifests.render(withValues(values, reweighted(dir, values)));

        assertThat(analyzersYaml(after)).isNotEqualTo(analyzersYaml(before));
        assertThat(after.podTemplate()).isEqualTo(before.podTemplate());
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void rollPodsMakesAWeightChangeRollThePods(Path[] values, @TempDir Path dir) throws IOException {
        Path[] rolling = withValues(values, ROLL_PODS);
        Manifests before = Manifests.render(rolling);
        Manifests after = Manifests.render(withValues(rolling, reweighted(dir, values)));

        assertThat(before.podAnnotation("checksum/analyzers")).isNotBlank();
        assertThat(after.podAnnotation("checksum/analyzers")).isNotEqualTo(before.podAnnotation("checksum/analyzers"));
        assertThat(after.podTemplate()).isNotEqualTo(before.podTemplate());
        assertThat(Manifests.render(values).podAnnotation("checksum/analyzers")).isNull();
    }

    @Test
    void rollPodsRefusesAConfigMapTheChartCannotSee() {
        assertThatThrownBy(() -> Manifests.render(Map.of("existingAnalyzersConfigMap.name", "fleet-analyzers"), ROLL_PODS))
                .hasMessageContaining("analyzersReload.rollPods").hasMessageContaining("existingAnalyzersConfigMap");
    }

    /** What the JVM, Camel and the env read only at start must still roll the pods. */
    @Test
    void jvmOptionsRoutesAndSettingsStillRollThePods() {
        Map<String, Object> base = Manifests.render().podTemplate();
        String jvmChecksum = Manifests.render().podAnnotation("checksum/jvm-options");

        assertThat(Manifests.render(Map.of("jvm.extraOptions[0]", "-Xmx768m")).podTemplate()).isNotEqualTo(base);
        assertThat(Manifests.render(Map.of("settings.queue\\.fsync", "always")).podTemplate()).isNotEqualTo(base);
        assertThat(Manifests.render(CUSTOM).podAnnotation("checksum/routes"))
                .isNotEqualTo(Manifests.render(Map.of("routes.files.ping\\.yaml", "changed"), CUSTOM).podAnnotation("checksum/routes"));
        // the checksum follows the JVM flags, not the rest of the pod spec
        assertThat(Manifests.render(Map.of("resources.limits.memory", "2Gi")).podAnnotation("checksum/jvm-options"))
                .isNotBlank().isEqualTo(jvmChecksum);
    }

    @ParameterizedTest
    @MethodSource("valueSets")
    void journalAndDeadLettersGoToAWritableVolumeOnAReadOnlyRoot(Path[] values) {
        Manifests manifests = Manifests.render(values);
        Map<String, Object> container = manifests.container();
        String dataDir = manifests.env().get("DISTRIBUTOR_DATA_DIR");

        assertThat(Yaml.at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
        assertThat(Yaml.at(manifests.podSpec(), "securityContext", "runAsNonRoot")).isEqualTo(true);
        for (String writable : List.of(dataDir, "/tmp")) {
            Map<String, Object> volume = manifests.volumeMountedAt(writable)
                    .orElseThrow(() -> new AssertionError("nothing mounted at " + writable));
            assertThat(manifests.mount((String) volume.get("name")).get("readOnly")).as(writable).isNotEqualTo(true);
            assertThat(volume.keySet()).as(writable).containsAnyOf("emptyDir", "volumeClaimTemplate");
        }
    }

    /** The journal lives in the data directory (distributor.queue.dir left to the app: <data-dir>/queue). */
    @Test
    void byDefaultTheJournalIsOnAnEmptyDirOfTheDeployment() {
        Manifests manifests = Manifests.render();
        Map<String, String> env = manifests.env();
        Map<String, Object> volume = manifests.volumeMountedAt(env.get("DISTRIBUTOR_DATA_DIR")).orElseThrow();

        assertThat(manifests.workload().get("kind")).isEqualTo("Deployment");
        assertThat(Yaml.at(volume, "emptyDir", "sizeLimit")).isEqualTo("1Gi");
        assertThat(env).doesNotContainKeys(AppContract.envName("distributor.queue.dir"),
                AppContract.envName("distributor.queue.store"));
        assertThat(AppContract.defaults().getOrDefault("distributor.queue.dir", "")).isEmpty();
    }

    /** persistence.enabled: each pod's own claim holds its journal and comes back with it. */
    @Test
    void persistenceRendersAStatefulSetWhoseClaimHoldsTheDataDirectory() {
        Manifests manifests = Manifests.render(Map.of("persistence.enabled", true));
        Map<String, Object> statefulSet = manifests.workload();
        Map<String, Object> mount = Yaml.list(manifests.container().get("volumeMounts")).stream().map(Yaml::map)
                .filter(m -> m.get("mountPath").equals(manifests.env().get("DISTRIBUTOR_DATA_DIR"))).findFirst().orElseThrow();
        Map<String, Object> claim = Yaml.map(manifests.volume((String) mount.get("name")).get("volumeClaimTemplate"));

        assertThat(statefulSet.get("kind")).isEqualTo("StatefulSet");
        assertThat(manifests.kinds()).doesNotContain("Deployment", "PersistentVolumeClaim");
        assertThat(mount).doesNotContainKeys("subPath", "subPathExpr");
        assertThat(Yaml.list(manifests.podSpec().get("volumes"))).noneMatch(v -> mount.get("name").equals(Yaml.map(v).get("name")));
        assertThat(Yaml.list(Yaml.at(claim, "spec", "accessModes"))).containsExactly("ReadWriteOnce");
        assertThat(Yaml.at(claim, "spec", "resources", "requests", "storage")).isEqualTo("4Gi");
        assertThat(Yaml.map(Yaml.at(claim, "spec"))).doesNotContainKey("storageClassName");
        // Kubernetes refuses any later change to a claim template: no labels that change with the chart version
        assertThat(Yaml.map(Yaml.at(claim, "metadata", "labels"))).doesNotContainKeys("helm.sh/chart", "app.kubernetes.io/version");
    }

    @Test
    void theStatefulSetsServicesHpaAndBudgetTargetIt() {
        Manifests manifests = Manifests.render(CUSTOM);
        Map<String, Object> statefulSet = manifests.workload();
        Map<String, Object> podLabels = Yaml.map(Yaml.at(manifests.podTemplate(), "metadata", "labels"));
        Map<String, Object> headless = manifests.named("Service", (String) Yaml.at(statefulSet, "spec", "serviceName")).orElseThrow();
        Map<String, Object> claim = manifests.claimTemplates().get(0);

        assertThat(statefulSet.get("kind")).isEqualTo("StatefulSet");
        assertThat(Yaml.at(claim, "spec", "storageClassName")).isEqualTo("fast");
        assertThat(Yaml.at(claim, "spec", "resources", "requests", "storage")).isEqualTo("20Gi");
        assertThat(Yaml.at(headless, "spec", "clusterIP")).isEqualTo("None");
        assertThat(podLabels).containsAllEntriesOf(Yaml.map(Yaml.at(headless, "spec", "selector")));
        assertThat(Yaml.map(Yaml.at(manifests.one("HorizontalPodAutoscaler"), "spec", "scaleTargetRef")))
                .containsEntry("kind", "StatefulSet").containsEntry("name", Yaml.at(statefulSet, "metadata", "name"));
        // both Services front the same pods: Prometheus must scrape each pod through one of them only
        Map<String, Object> selector = Yaml.map(Yaml.at(manifests.one("ServiceMonitor"), "spec", "selector"));
        assertThat(manifests.ofKind("Service")).hasSize(2)
                .filteredOn(service -> LabelSelector.matches(selector, Yaml.map(Yaml.at(service, "metadata", "labels"))))
                .extracting(service -> Yaml.at(service, "metadata", "name")).containsExactly(Manifests.RELEASE + "-logs-distributor");
        Map<String, Object> budget = Manifests.render(Map.of("podDisruptionBudget.enabled", true), CUSTOM).one("PodDisruptionBudget");
        assertThat(podLabels).containsAllEntriesOf(Yaml.map(Yaml.at(budget, "spec", "selector", "matchLabels")));
    }

    @Test
    void storageClassDashMeansNoneNotTheDefault() {
        Manifests manifests = Manifests.render(Map.of("persistence.enabled", true, "persistence.storageClass", "-"));

        assertThat(Yaml.map(Yaml.at(manifests.claimTemplates().get(0), "spec"))).containsEntry("storageClassName", "");
    }

    /** deadLetters.* (one claim shared by the pods) became persistence.*: an old values file fails, saying what to set. */
    @Test
    void removedDeadLetterValuesFailWithTheirReplacement() {
        assertThatThrownBy(() -> Manifests.render(Map.of("deadLetters.persistence.enabled", true)))
                .hasMessageContaining("persistence.enabled").hasMessageContaining("ld-logs-distributor-dead-letters");
        assertThatThrownBy(() -> Manifests.render(Map.of("deadLetters.mountPath", "/data")))
                .hasMessageContaining("persistence.mountPath");
    }

    /** kafka.* is inert while disabled: the same manifests, byte for byte, as without it. */
    @ParameterizedTest
    @MethodSource("valueSets")
    void kafkaValuesChangeNothingWhileDisabled(Path[] values, @TempDir Path dir) throws IOException {
        Path disabled = valuesFile(dir, Map.of("kafka", kafka(false)));

        String without = Manifests.template(Map.of(), values).call();
        assertThat(Manifests.template(Map.of(), withValues(values, disabled)).call()).isEqualTo(without);
        assertThat(Manifests.parse(without).env().keySet())
                .noneMatch(name -> name.startsWith("DISTRIBUTOR_KAFKA_") || name.startsWith("CAMEL_COMPONENT_KAFKA_"));
    }

    /** No journal with Kafka: the Deployment's emptyDir (dead letters only) is enough, and persistence stays optional. */
    @Test
    void kafkaSetsTheStoreAndTheConnectionOnTheDeployment(@TempDir Path dir) throws IOException {
        Manifests manifests = Manifests.render(valuesFile(dir, Map.of("kafka", kafka(true))));
        Map<String, String> env = manifests.env();

        assertThat(env).containsEntry("DISTRIBUTOR_QUEUE_STORE", "kafka")
                .containsEntry("DISTRIBUTOR_KAFKA_BOOTSTRAP_SERVERS", "kafka-0.kafka:9093,kafka-1.kafka:9093")
                .containsEntry("DISTRIBUTOR_KAFKA_TOPIC", "prod.packets")
                .containsEntry("DISTRIBUTOR_KAFKA_CONSUMER_GROUP", "logs-distributor")
                .containsEntry("DISTRIBUTOR_KAFKA_PARTITIONS", "24")
                .containsEntry("DISTRIBUTOR_KAFKA_REPLICATION_FACTOR", "3")
                .containsEntry("DISTRIBUTOR_KAFKA_SEND_TIMEOUT_MS", "2000")
                .containsEntry("CAMEL_COMPONENT_KAFKA_SECURITYPROTOCOL", "SASL_SSL")
                .containsEntry("CAMEL_COMPONENT_KAFKA_SASLMECHANISM", "SCRAM-SHA-512")
                // whole numbers as written, not 1e+06; fractions kept
                .containsEntry("CAMEL_COMPONENT_KAFKA_MAXPOLLRECORDS", "1000000")
                .containsEntry("CAMEL_COMPONENT_KAFKA_KERBEROSRENEWWINDOWFACTOR", "0.8");
        assertThat(manifests.workload().get("kind")).isEqualTo("Deployment");
        assertThat(manifests.volumeMountedAt(env.get("DISTRIBUTOR_DATA_DIR")).orElseThrow()).containsKey("emptyDir");
        assertThat(manifests.kinds()).doesNotContain("StatefulSet", "PersistentVolumeClaim");

        Manifests persistent = Manifests.render(Map.of("persistence.enabled", true), valuesFile(dir, Map.of("kafka", kafka(true))));
        assertThat(persistent.workload().get("kind")).isEqualTo("StatefulSet");
        assertThat(persistent.env()).containsEntry("DISTRIBUTOR_QUEUE_STORE", "kafka");
    }

    /** Secrets reach the app through secretKeyRef, never as values in the pod spec; the files where the options point. */
    @Test
    void kafkaCredentialsComeFromTheSecretAndItsTlsFilesAreMounted(@TempDir Path dir) throws IOException {
        Manifests manifests = Manifests.render(valuesFile(dir, Map.of("kafka", kafka(true))));

        for (Map.Entry<String, String> credential : Map.of("SASLJAASCONFIG", "sasl.jaas.config",
                "SSLTRUSTSTOREPASSWORD", "truststore.password").entrySet()) {
            Map<String, Object> var = manifests.envVar("CAMEL_COMPONENT_KAFKA_" + credential.getKey());
            assertThat(var).doesNotContainKey("value");
            assertThat(Yaml.map(Yaml.at(var, "valueFrom", "secretKeyRef")))
                    .containsEntry("name", "kafka-user").containsEntry("key", credential.getValue());
        }
        assertThat(manifests.env()).containsEntry("CAMEL_COMPONENT_KAFKA_SSLTRUSTSTORELOCATION", TRUSTSTORE);
        assertThat(secretMountedFor(manifests, TRUSTSTORE)).isEqualTo("kafka-ca");
        assertThat(manifests.mount("kafka-tls")).containsEntry("readOnly", true);

        Map<String, Object> plain = new LinkedHashMap<>(kafka(true));
        plain.put("tlsSecret", "");
        assertThat(Manifests.render(valuesFile(dir, Map.of("kafka", plain))).volumeMountedAt(Path.of(TRUSTSTORE).getParent().toString()))
                .isEmpty();
    }

    /** camel-main reads CAMEL_COMPONENT_KAFKA_<OPTION> as camel.component.kafka.<option>: the names must be its options. */
    @Test
    void kafkaOptionsBecomeEnvNamesOfCamelKafkasOwnOptions(@TempDir Path dir) throws IOException {
        Set<String> known = new TreeSet<>();
        AppContract.camelKafkaOptions().keySet().forEach(option -> known.add("CAMEL_COMPONENT_KAFKA_" + option.toUpperCase()));
        Map<String, Object> values = kafka(true);

        Set<String> rendered = new TreeSet<>(Manifests.render(valuesFile(dir, Map.of("kafka", values))).env().keySet());
        rendered.removeIf(name -> !name.startsWith("CAMEL_COMPONENT_KAFKA_"));

        assertThat(rendered).hasSize(Yaml.map(values.get("options")).size() + Yaml.map(Yaml.at(values, "credentials", "keys")).size())
                .isSubsetOf(known);
    }

    /** Checked once the app's Kafka properties are in application.properties (they come with the Java side). */
    @Test
    void kafkaEnvIsTheAppsPropertiesAndValuesYamlHasItsDefaults() {
        assumeTrue(AppContract.distributorKeys().contains("distributor.kafka.bootstrap-servers"),
                "application.properties has no distributor.kafka.* properties yet");
        Manifests manifests = Manifests.render(Map.of("kafka.enabled", true, "kafka.bootstrapServers", "kafka:9092"));
        Map<String, String> env = manifests.env();
        Map<String, String> defaults = AppContract.defaults();

        assertThat(env.keySet()).isSubsetOf(AppContract.envNames());
        for (String key : List.of("topic", "consumer-group", "partitions", "replication-factor", "send-timeout-ms")) {
            assertThat(env.get(AppContract.envName("distributor.kafka." + key))).as(key)
                    .isEqualTo(defaults.get("distributor.kafka." + key));
        }
    }

    @Test
    void kafkaWithoutBootstrapServersFails() {
        assertThatThrownBy(() -> Manifests.render(Map.of("kafka.enabled", true)))
                .hasMessageContaining("kafka.bootstrapServers is required when kafka.enabled");
    }

    /** The store is set once: by kafka.enabled, which settings.queue.store may repeat but not contradict. */
    @Test
    void kafkaAndSettingsQueueStoreMustAgree() {
        Map<String, Object> kafka = Map.of("kafka.enabled", true, "kafka.bootstrapServers", "kafka:9092");
        for (String other : List.of("disk", "memory")) {
            assertThatThrownBy(() -> Manifests.render(with(kafka, "settings.queue\\.store", other)))
                    .hasMessageContaining("settings.queue.store is " + other).hasMessageContaining("kafka.enabled=false");
        }
        // Manifests.env() fails on a name set twice
        assertThat(Manifests.render(with(kafka, "settings.queue\\.store", "kafka")).env()).containsEntry("DISTRIBUTOR_QUEUE_STORE", "kafka");
        assertThatThrownBy(() -> Manifests.render(Map.of("settings.queue\\.store", "kafka")))
                .hasMessageContaining("settings.queue.store=kafka").hasMessageContaining("kafka.enabled=true");
    }

    /** What camel-kafka's catalog marks secret must not be written into the pod spec in clear. */
    @Test
    void kafkaRefusesTheOptionsCamelMarksSecretOutsideCredentials(@TempDir Path dir) throws IOException {
        List<String> secret = AppContract.camelKafkaOptions().entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey)
                .toList();

        assertThat(secret).contains("saslJaasConfig", "sslTruststorePassword");
        for (String option : secret) {
            Map<String, Object> inOptions = new LinkedHashMap<>(kafka(true));
            inOptions.put("options", Map.of(option, "s3cret"));
            inOptions.put("credentials", Map.of("existingSecret", "", "keys", Map.of()));
            assertThatThrownBy(() -> Manifests.render(valuesFile(dir, Map.of("kafka", inOptions))))
                    .as(option).hasMessageContaining("kafka.options." + option + " is a secret")
                    .hasMessageContaining("kafka.credentials.keys." + option);

            Map<String, Object> inCredentials = new LinkedHashMap<>(kafka(true));
            inCredentials.put("options", Map.of());
            inCredentials.put("credentials", Map.of("existingSecret", "kafka-user", "keys", Map.of(option, "k")));
            assertThat(Yaml.at(Manifests.render(valuesFile(dir, Map.of("kafka", inCredentials)))
                    .envVar("CAMEL_COMPONENT_KAFKA_" + option.toUpperCase()), "valueFrom", "secretKeyRef", "key")).as(option).isEqualTo("k");
        }
    }

    @Test
    void kafkaRefusesOptionsSetTwiceOrSetByTheChart() {
        Map<String, Object> kafka = Map.of("kafka.enabled", true, "kafka.bootstrapServers", "kafka:9092");

        assertThatThrownBy(() -> Manifests.render(with(kafka, "kafka.options.brokers", "other:9092")))
                .hasMessageContaining("brokers").hasMessageContaining("kafka.bootstrapServers");
        assertThatThrownBy(() -> Manifests.render(with(kafka, "kafka.options.groupId", "other")))
                .hasMessageContaining("groupId").hasMessageContaining("kafka.consumerGroup");
        Map<String, Object> twice = with(with(with(kafka, "kafka.options.saslMechanism", "PLAIN"),
                "kafka.credentials.existingSecret", "kafka-user"), "kafka.credentials.keys.saslMechanism", "mechanism");
        assertThatThrownBy(() -> Manifests.render(twice)).hasMessageContaining("saslMechanism is given twice");
        // both spellings are the same env name
        assertThatThrownBy(() -> Manifests.render(with(with(kafka, "kafka.options.securityProtocol", "SSL"),
                "kafka.options.securityprotocol", "SSL"))).hasMessageContaining("CAMEL_COMPONENT_KAFKA_SECURITYPROTOCOL twice");
        assertThatThrownBy(() -> Manifests.render(with(kafka, "kafka.credentials.keys.saslJaasConfig", "sasl.jaas.config")))
                .hasMessageContaining("kafka.credentials.existingSecret is required");
    }

    @Test
    void schemaRejectsKafkaValuesOfTheWrongShape() {
        Map<String, Object> kafka = Map.of("kafka.enabled", true, "kafka.bootstrapServers", "kafka:9092");

        // the Kafka client's property names are not Camel's option names
        assertThatThrownBy(() -> Manifests.render(with(kafka, "kafka.options.security\\.protocol", "SSL")))
                .hasMessageContaining("security.protocol");
        assertThatThrownBy(() -> Manifests.render(with(kafka, "kafka.replicationFactor", 0)))
                .hasMessageContaining("/kafka/replicationFactor");
        assertThatThrownBy(() -> Manifests.render(with(kafka, "kafka.partitions", 0))).hasMessageContaining("/kafka/partitions");
        assertThatThrownBy(() -> Manifests.render(with(kafka, "kafka.topic", "logs/packets"))).hasMessageContaining("/kafka/topic");
        assertThatThrownBy(() -> Manifests.render(with(kafka, "kafka.tlsSecret", true))).hasMessageContaining("/kafka/tlsSecret");
        assertThat(Manifests.render(with(kafka, "kafka.replicationFactor", -1)).env())
                .containsEntry("DISTRIBUTOR_KAFKA_REPLICATION_FACTOR", "-1");
    }

    /** As lintPassesStrictly for the other value sets: with Kafka on, lint --strict finds nothing either. */
    @Test
    void kafkaValuesLintStrictly(@TempDir Path dir) throws IOException {
        Path chart = ChartCopy.withValues(Manifests.CHART, dir.resolve("logs-distributor"),
                valuesFile(dir, Map.of("kafka", kafka(true))));

        LintResult result = new Helm(chart).lint().strict().call();

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
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
        Manifests scaled = Manifests.render(Map.of("autoscaling.enabled", true));
        Map<String, Object> hpa = scaled.one("HorizontalPodAutoscaler");

        assertThat(Yaml.at(fixed.workload(), "spec", "replicas")).isNotNull();
        assertThat(Yaml.at(scaled.workload(), "spec", "replicas")).isNull();
        assertThat(Yaml.map(Yaml.at(hpa, "spec", "scaleTargetRef"))).containsEntry("kind", "Deployment")
                .containsEntry("name", Yaml.at(scaled.workload(), "metadata", "name"));
        assertThat(Yaml.at(Manifests.render(CUSTOM).workload(), "spec", "replicas")).isNull();
        assertThat(Yaml.at(Yaml.list(Yaml.at(hpa, "spec", "metrics")).get(0), "resource", "name")).isEqualTo("cpu");
    }

    @Test
    void disruptionBudgetSelectsThePodsAndCanBeTurnedOff() {
        Manifests manifests = Manifests.render();
        Map<String, Object> pdb = manifests.one("PodDisruptionBudget");

        assertThat(Yaml.map(Yaml.at(manifests.podTemplate(), "metadata", "labels")))
                .containsAllEntriesOf(Yaml.map(Yaml.at(pdb, "spec", "selector", "matchLabels")));
        assertThat(Manifests.render(Map.of("podDisruptionBudget.enabled", false)).ofKind("PodDisruptionBudget")).isEmpty();
    }

    @Test
    void serviceMonitorScrapesTheAppsMetricsWithAKeyWhenKeysAreRequired() {
        Manifests manifests = Manifests.render(CUSTOM);
        Map<String, Object> endpoint = Yaml.map(Yaml.list(Yaml.at(manifests.one("ServiceMonitor"), "spec", "endpoints")).get(0));

        assertThat((String) endpoint.get("path")).isIn(AppContract.routePaths());
        assertThat(endpoint.get("port")).isEqualTo(Yaml.at(Yaml.list(Yaml.at(manifests.service(), "spec", "ports")).get(0), "name"));
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
        assertThat(Yaml.at(path, "backend", "service", "name")).isEqualTo(Yaml.at(manifests.service(), "metadata", "name"));
        assertThat(Yaml.map(Yaml.at(manifests.podTemplate(), "metadata", "labels")))
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
        assertThatThrownBy(() -> Manifests.render(valuesFile(dir, Map.of("settings", Map.of("queue.store", "tape")))))
                .hasMessageContaining("queue.store");
        assertThatThrownBy(() -> Manifests.render(valuesFile(dir, Map.of("settings", Map.of("queue.fsync", "sometimes")))))
                .hasMessageContaining("queue.fsync");
        // the journal's directory is the chart's (on the data volume), not a setting
        assertThatThrownBy(() -> Manifests.render(valuesFile(dir, Map.of("settings", Map.of("queue.dir", "/tmp/q")))))
                .hasMessageContaining("queue.dir");
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

    /** kafka.* with SASL_SSL from a Secret and a mounted CA, as the README's example, and numbers a values file makes float64. */
    static Map<String, Object> kafka(boolean enabled) {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("securityProtocol", "SASL_SSL");
        options.put("saslMechanism", "SCRAM-SHA-512");
        options.put("sslTruststoreType", "PEM");
        options.put("sslTruststoreLocation", TRUSTSTORE);
        options.put("maxPollRecords", 1000000);
        options.put("kerberosRenewWindowFactor", 0.8);
        Map<String, Object> kafka = new LinkedHashMap<>();
        kafka.put("enabled", enabled);
        kafka.put("bootstrapServers", "kafka-0.kafka:9093,kafka-1.kafka:9093");
        kafka.put("topic", "prod.packets");
        kafka.put("partitions", 24);
        kafka.put("replicationFactor", 3);
        kafka.put("sendTimeoutMs", 2000);
        kafka.put("options", options);
        kafka.put("credentials", Map.of("existingSecret", "kafka-user",
                "keys", Map.of("saslJaasConfig", "sasl.jaas.config", "sslTruststorePassword", "truststore.password")));
        kafka.put("tlsSecret", "kafka-ca");
        return kafka;
    }

    static Map<String, Object> with(Map<String, Object> sets, String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(sets);
        more.put(key, value);
        return more;
    }

    static List<Object> defaultAnalyzersWithFirstWeight(double weight) {
        return analyzersWithFirstWeight(Manifests.CHART.resolve("values.yaml"), weight);
    }

    /** A values file giving the first analyzer of these values (the chart's defaults when none) another weight. */
    static Path reweighted(Path dir, Path[] values) throws IOException {
        Path source = values.length == 0 ? Manifests.CHART.resolve("values.yaml") : values[values.length - 1];
        Object weight = Yaml.at(Yaml.list(loadYaml(source).get("analyzers")).get(0), "weight");
        return valuesFile(dir, Map.of("analyzers", analyzersWithFirstWeight(source, ((Number) weight).doubleValue() * 2)));
    }

    static Path[] withValues(Path[] values, Path more) {
        Path[] all = Arrays.copyOf(values, values.length + 1);
        all[values.length] = more;
        return all;
    }

    static List<Object> analyzersWithFirstWeight(Path valuesFile, double weight) {
        List<Object> analyzers = Yaml.list(loadYaml(valuesFile).get("analyzers"));
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
