package io.logsdistributor;

import io.logsdistributor.config.ConfigException;
import io.logsdistributor.delivery.DeadLetterReplay;
import io.logsdistributor.demo.DemoFleet;
import io.logsdistributor.loadgen.LoadGenerator;
import java.util.Arrays;
import org.apache.camel.main.Main;

/**
 * Entry point of the jar. Without arguments it runs the distributor; {@code demo-analyzers} runs the
 * demo analyzer fleet. A configuration problem ends start-up with one line and exit code 2.
 */
public final class App {

    private App() {
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "run" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        int exit;
        try {
            exit = switch (command) {
                case "run" -> runDistributor();
                case "demo-analyzers" -> {
                    DemoFleet.run(rest);
                    yield 0;
                }
                case "replay" -> DeadLetterReplay.run(rest, System.out);
                case "loadgen" -> {
                    LoadGenerator.run(rest);
                    yield 0;
                }
                case "-h", "--help", "help" -> {
                    System.out.println(USAGE);
                    yield 0;
                }
                default -> {
                    System.err.println("logs-distributor: unknown command '" + command + "'\n" + USAGE);
                    yield 64;
                }
            };
        } catch (ConfigException e) {
            System.err.println("logs-distributor: configuration error: " + e.getMessage());
            exit = 2;
        }
        System.exit(exit);
    }

    static int runDistributor() throws Exception {
        Main main = new Main();
        main.configure().addConfiguration(DistributorConfiguration.class);
        try {
            return main.run(new String[0]);
        } catch (Exception e) {
            ConfigException config = findConfigException(e);
            if (config != null) {
                throw config;
            }
            throw e;
        }
    }

    static ConfigException findConfigException(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConfigException config) {
                return config;
            }
        }
        return null;
    }

    private static final String USAGE = """
            usage: java -jar logs-distributor.jar [command]
              (none)            run the distributor (ANALYZERS_FILE, HTTP_PORT, ... see README)
              demo-analyzers [file]  run a demo analyzer for each entry of the analyzers file (default analyzers.yaml)
              replay FILE [--url URL] [--header 'Name: value']... [--max-wait-s N]
                                post the packets of a dead-letter file to /ingest again, byte for byte (URL default
                                http://127.0.0.1:8080/ingest; with API keys on, an operator key replays every agent's);
                                progress goes to FILE.progress, so a rerun after a kill goes on where it stopped;
                                lines not accepted go to FILE.remaining; a packet waits out 429/503 Retry-After or an
                                unreachable URL for at most --max-wait-s seconds (default 60), then it is kept
              loadgen [options] send load to an ingest URL and report throughput and latency (loadgen --help)
            """;
}
