package io.logsdistributor.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the image's entrypoint with a stand-in {@code java} that prints its arguments, to show the JVM
 * gets the flags of jvm.options, then the operator's extra flags, then the jar and the app's arguments.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class DockerEntrypointTest {

    static final Path ENTRYPOINT = Path.of("docker", "entrypoint.sh");
    /** Where the image looks for extra flags; the chart mounts its jvm.options ConfigMap key there. */
    static final String EXTRA_OPTIONS = "/etc/logs-distributor/jvm/jvm.options";

    @Test
    void startsTheJvmWithJvmOptionsThenExtraFlags(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectory(dir.resolve("app"));
        Files.copy(Path.of("jvm.options"), home.resolve("jvm.options"));
        Path extra = Files.writeString(dir.resolve("extra.options"), "# bigger heap\n  -Xmx1g  \n\n");
        Path bin = fakeJava(dir);

        List<String> args = run(bin, home, extra, "demo-analyzers", "my file.yaml");

        List<String> expected = new ArrayList<>(flags(Path.of("jvm.options")));
        expected.add("-Xmx1g");
        expected.addAll(List.of("-jar", home.resolve("logs-distributor.jar").toString(), "demo-analyzers", "my file.yaml"));
        assertThat(flags(Path.of("jvm.options"))).isNotEmpty();
        assertThat(args).containsExactlyElementsOf(expected);
    }

    @Test
    void runsWithoutTheOptionalExtraFile(@TempDir Path dir) throws Exception {
        Path home = Files.createDirectory(dir.resolve("app"));
        Files.copy(Path.of("jvm.options"), home.resolve("jvm.options"));

        List<String> args = run(fakeJava(dir), home, dir.resolve("absent.options"));

        assertThat(args).startsWith(flags(Path.of("jvm.options")).toArray(String[]::new)).endsWith("-jar",
                home.resolve("logs-distributor.jar").toString());
    }

    @Test
    void dockerfileUsesTheEntrypointAndItsDefaultExtraFile() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"));
        String entrypoint = Files.readString(ENTRYPOINT);

        assertThat(dockerfile).contains("COPY jvm.options").contains("ENTRYPOINT [\"/app/entrypoint.sh\"]")
                .containsPattern("(?m)^USER 10001");
        assertThat(entrypoint).contains(EXTRA_OPTIONS);
    }

    /** The flags of an options file: one per line, without blank lines and # comments. */
    static List<String> flags(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    static Path fakeJava(Path dir) throws IOException {
        Path bin = Files.createDirectory(dir.resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/usr/bin/env bash\nprintf '%s\\n' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return bin;
    }

    static List<String> run(Path bin, Path home, Path extra, String... appArgs) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", ENTRYPOINT.toString()));
        command.addAll(List.of(appArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        builder.environment().put("LOGS_DISTRIBUTOR_HOME", home.toString());
        builder.environment().put("LOGS_DISTRIBUTOR_EXTRA_JVM_OPTIONS", extra.toString());
        Process process = builder.start();
        assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(out).isZero();
        return out.lines().toList();
    }
}
