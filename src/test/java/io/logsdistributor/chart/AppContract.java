package io.logsdistributor.chart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What the application itself reads and serves, derived from its sources rather than restated, so the
 * chart tests fail when the chart and the app drift apart.
 */
final class AppContract {

    static final Path PROPERTIES = Path.of("src", "main", "resources", "application.properties");
    static final Path ROUTES = Path.of("src", "main", "resources", "routes");

    /** Env names the app reads outside the distributor.* properties (contract §1 and §7, Camel, the JVM). */
    static final Set<String> EXPLICIT_ENV = Set.of("ANALYZERS_FILE", "HTTP_PORT", "HTTP_HOST", "API_KEYS_FILE",
            "TLS_CERT_FILE", "TLS_KEY_FILE", "TLS_CLIENT_CA_FILE", "ANALYZER_TLS_CA_FILE", "ANALYZER_TLS_CERT_FILE",
            "ANALYZER_TLS_KEY_FILE", "JAVA_TOOL_OPTIONS", "CAMEL_MAIN_ROUTESINCLUDEPATTERN");

    private AppContract() {
    }

    static Properties properties() {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(PROPERTIES)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }

    /** The distributor.* properties of application.properties. */
    static Set<String> distributorKeys() {
        Set<String> keys = new TreeSet<>();
        for (String key : properties().stringPropertyNames()) {
            if (key.startsWith("distributor.")) {
                keys.add(key);
            }
        }
        return keys;
    }

    /** The env var that overrides a property: upper case, dots and dashes as underscores. */
    static String envName(String key) {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    static Set<String> envNames() {
        Set<String> names = new TreeSet<>(EXPLICIT_ENV);
        distributorKeys().forEach(key -> names.add(envName(key)));
        return names;
    }

    /** GET paths on the HTTP port: the platform-http routes (Camel's /observe/health* included). */
    static Set<String> httpPaths() {
        return routePaths();
    }

    static Set<String> routePaths() {
        Set<String> paths = new TreeSet<>();
        try (Stream<Path> files = Files.list(ROUTES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                paths.addAll(platformHttpPaths(Files.readString(file)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paths;
    }

    static Set<String> platformHttpPaths(String routesYaml) {
        Set<String> paths = new TreeSet<>();
        Object root = new Load(LoadSettings.builder().build()).loadFromString(routesYaml);
        for (Object element : Yaml.list(root)) {
            Object route = Yaml.map(element).get("route");
            if (route != null && Yaml.at(route, "from", "uri") instanceof String uri && uri.startsWith("platform-http:")) {
                paths.add(uri.substring("platform-http:".length()));
            }
        }
        return paths;
    }

    /**
     * The options of the Kafka component the app runs (camel.component.kafka.&lt;option&gt;), from camel-kafka's own
     * catalog, each with whether the catalog marks it secret.
     */
    static Map<String, Boolean> camelKafkaOptions() {
        String catalog = "/META-INF/org/apache/camel/component/kafka/kafka.json";
        try (InputStream in = AppContract.class.getResourceAsStream(catalog)) {
            if (in == null) {
                throw new AssertionError("camel-kafka's catalog " + catalog + " is not on the classpath");
            }
            Map<String, Boolean> options = new TreeMap<>();
            for (Map.Entry<String, JsonNode> option : new ObjectMapper().readTree(in).path("componentProperties").properties()) {
                options.put(option.getKey(), option.getValue().path("secret").asBoolean());
            }
            return options;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The bundled defaults, with {{env:NAME:default}} resolved as Camel does when NAME is unset. */
    static Map<String, String> defaults() {
        Map<String, String> defaults = new HashMap<>();
        properties().forEach((k, v) -> defaults.put((String) k,
                ((String) v).trim().replaceAll("\\{\\{env:[A-Z_]+:([^}]*)}}", "$1")));
        return defaults;
    }
}
