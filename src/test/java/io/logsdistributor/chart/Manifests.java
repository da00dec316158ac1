package io.logsdistributor.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The chart rendered by the embedded Helm, parsed into one map per Kubernetes object. */
final class Manifests {

    static final Path CHART = Path.of("helm", "logs-distributor");
    static final String RELEASE = "ld";
    static final String NAMESPACE = "observability";

    private final List<Map<String, Object>> objects;

    private Manifests(List<Map<String, Object>> objects) {
        this.objects = objects;
    }

    static Manifests render(Path... valuesFiles) {
        return render(Map.of(), valuesFiles);
    }

    /** {@code sets} are Helm's --set pairs, applied over the values files. */
    static Manifests render(Map<String, Object> sets, Path... valuesFiles) {
        return parse(template(sets, valuesFiles).call());
    }

    static TemplateCommand template(Map<String, Object> sets, Path... valuesFiles) {
        TemplateCommand command = new Helm(CHART).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path file : valuesFiles) {
            command = command.withValuesFile(file);
        }
        for (Map.Entry<String, Object> set : sets.entrySet()) {
            command = command.set(set.getKey(), set.getValue());
        }
        return command;
    }

    static Manifests parse(String yaml) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
            if (document != null) {
                objects.add(Yaml.map(document));
            }
        }
        return new Manifests(objects);
    }

    List<Map<String, Object>> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    List<String> kinds() {
        return objects.stream().map(o -> (String) o.get("kind")).toList();
    }

    Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = ofKind(kind);
        assertThat(found).as("rendered objects of kind %s", kind).hasSize(1);
        return found.get(0);
    }

    /** The Service agents send to (with persistence.enabled there is a headless one for the StatefulSet too). */
    Map<String, Object> service() {
        return named("Service", RELEASE + "-logs-distributor").orElseThrow(() -> new AssertionError("no main Service"));
    }

    Optional<Map<String, Object>> named(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(Yaml.at(o, "metadata", "name"))).findFirst();
    }

    /** The one workload: a Deployment, or a StatefulSet with persistence.enabled; never both. */
    Map<String, Object> workload() {
        List<Map<String, Object>> found = objects.stream()
                .filter(o -> "Deployment".equals(o.get("kind")) || "StatefulSet".equals(o.get("kind"))).toList();
        assertThat(found).as("rendered Deployments and StatefulSets").hasSize(1);
        return found.get(0);
    }

    Map<String, Object> podTemplate() {
        return Yaml.map(Yaml.at(workload(), "spec", "template"));
    }

    Map<String, Object> podSpec() {
        return Yaml.map(podTemplate().get("spec"));
    }

    Map<String, Object> container() {
        List<Object> containers = Yaml.list(podSpec().get("containers"));
        assertThat(containers).hasSize(1);
        return Yaml.map(containers.get(0));
    }

    /** The container's env as name to plain value (null for one taken from the downward API). */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        for (Object entry : Yaml.list(container().get("env"))) {
            Map<String, Object> var = Yaml.map(entry);
            String name = (String) var.get("name");
            assertThat(env).as("env %s set twice", name).doesNotContainKey(name);
            env.put(name, (String) var.get("value"));
        }
        return env;
    }

    /** The container's env entry of that name, as rendered (with its valueFrom, if any). */
    Map<String, Object> envVar(String name) {
        return Yaml.list(container().get("env")).stream().map(Yaml::map).filter(v -> name.equals(v.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
    }

    String podAnnotation(String name) {
        return (String) Yaml.map(Yaml.at(podTemplate(), "metadata", "annotations")).get(name);
    }

    /** The volume mounted at exactly {@code mountPath}. */
    Optional<Map<String, Object>> volumeMountedAt(String mountPath) {
        for (Object m : Yaml.list(container().get("volumeMounts"))) {
            Map<String, Object> mount = Yaml.map(m);
            if (mountPath.equals(mount.get("mountPath"))) {
                return Optional.of(volume((String) mount.get("name")));
            }
        }
        return Optional.empty();
    }

    Map<String, Object> mount(String volumeName) {
        return Yaml.list(container().get("volumeMounts")).stream().map(Yaml::map)
                .filter(m -> volumeName.equals(m.get("name"))).findFirst().orElseThrow();
    }

    /**
     * The pod's volume of that name; for a StatefulSet's claim template, {@code {name, volumeClaimTemplate}}
     * (each pod's claim becomes its volume of that name).
     */
    Map<String, Object> volume(String name) {
        Optional<Map<String, Object>> podVolume = Yaml.list(podSpec().get("volumes")).stream().map(Yaml::map)
                .filter(v -> name.equals(v.get("name"))).findFirst();
        Optional<Map<String, Object>> claimTemplate = claimTemplates().stream()
                .filter(c -> name.equals(Yaml.at(c, "metadata", "name"))).findFirst();
        assertThat(podVolume.isPresent() && claimTemplate.isPresent()).as("volume %s both in the pod and a claim template", name)
                .isFalse();
        return podVolume.or(() -> claimTemplate.map(c -> Map.of("name", name, "volumeClaimTemplate", c)))
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    List<Map<String, Object>> claimTemplates() {
        Object templates = Yaml.at(workload(), "spec", "volumeClaimTemplates");
        return templates == null ? List.of() : Yaml.list(templates).stream().map(Yaml::map).toList();
    }
}
