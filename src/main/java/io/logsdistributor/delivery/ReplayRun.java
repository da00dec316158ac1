package io.logsdistributor.delivery;

import io.logsdistributor.config.ConfigException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One replay of a dead-letter file, line by line: each packet is posted and, once its fate is known,
 * the line is kept in FILE.remaining if it was not accepted and the progress is synced to the disk
 * before the next line is read. A replay killed at any point and run again therefore posts again at
 * most the packet that was in flight, and never keeps a line twice. Lines that hold no packet are
 * reported with their number and kept; the run goes on.
 */
final class ReplayRun {

    /**
     * Packets given up in a row because the URL stayed unavailable, after which the rest of the file is
     * kept without being posted: against a distributor that is down, a replay ends in minutes, not in
     * max-wait times the number of lines.
     */
    static final int UNAVAILABLE_IN_A_ROW_TO_STOP = 3;
    private static final int SHOWN_CHARS = 300;

    private final Path file;
    private final ReplaySender sender;
    private final PrintStream out;

    ReplayRun(Path file, ReplaySender sender, PrintStream out) {
        this.file = file;
        this.sender = sender;
        this.out = out;
    }

    DeadLetterReplay.Result run() throws IOException, InterruptedException {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException("replay: " + file + " is not a readable file");
        }
        try (ReplayProgress progress = ReplayProgress.open(file);
                ReplayRemaining remaining = ReplayRemaining.open(file, progress.state().remainingBytes());
                ReplayLines lines = ReplayLines.open(file, progress.state().offset())) {
            long resumedAfter = progress.state().line();
            if (resumedAfter > 0) {
                report("resuming after line " + resumedAfter + " (progress in " + progress.path() + ")");
            }
            int unavailableInARow = 0;
            for (ReplayLines.Line line = lines.next(); line != null; line = lines.next()) {
                long number = progress.state().line() + 1;
                if (line.blank()) {
                    progress.advance(line.bytes(), line.length(), remaining.length(), 0, 0, 0);
                    continue;
                }
                if (unavailableInARow >= UNAVAILABLE_IN_A_ROW_TO_STOP) {
                    remaining.keep(line.bytes(), line.length());
                    progress.advance(line.bytes(), line.length(), remaining.length(), 0, 1, 0);
                    continue;
                }
                ReplayRecord record;
                try {
                    record = ReplayRecord.parse(line.content());
                } catch (ReplayRecord.Unreadable e) {
                    report("line " + number + ": unreadable, kept: " + e.getMessage());
                    remaining.keep(line.bytes(), line.length());
                    progress.advance(line.bytes(), line.length(), remaining.length(), 0, 0, 1);
                    continue;
                }
                String which = "line " + number + " (packet " + record.packetId() + " of " + record.agentId() + ")";
                ReplaySender.Outcome outcome = sender.send(record.packet(), message -> report(which + ": " + message));
                if (outcome.kind() == ReplaySender.Outcome.Kind.ACCEPTED) {
                    unavailableInARow = 0;
                    progress.advance(line.bytes(), line.length(), remaining.length(), 1, 0, 0);
                    continue;
                }
                report(which + ": kept: " + outcome.detail());
                remaining.keep(line.bytes(), line.length());
                progress.advance(line.bytes(), line.length(), remaining.length(), 0, 1, 0);
                unavailableInARow = outcome.kind() == ReplaySender.Outcome.Kind.UNAVAILABLE ? unavailableInARow + 1 : 0;
                if (unavailableInARow == UNAVAILABLE_IN_A_ROW_TO_STOP) {
                    report(UNAVAILABLE_IN_A_ROW_TO_STOP + " packets in a row could not be posted: the lines after line "
                            + number + " are kept without being posted");
                }
            }
            ReplayProgress.State done = progress.state();
            return new DeadLetterReplay.Result(done.line(), done.accepted(), done.kept(), done.unreadable(), resumedAfter,
                    remaining.length() == 0 ? null : remaining.path());
        }
    }

    /** Ids and answers come from clients and servers: no control character reaches the terminal or a log. */
    private void report(String message) {
        StringBuilder text = new StringBuilder(Math.min(message.length(), SHOWN_CHARS) + 16);
        for (int i = 0; i < message.length() && text.length() < SHOWN_CHARS; i++) {
            char c = message.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || (c >= 0x80 && c < 0xa0)) {
                text.append(String.format("\\u%04x", (int) c));
            } else {
                text.append(c);
            }
        }
        out.println(text.length() < message.length() && text.length() >= SHOWN_CHARS ? text + "..." : text.toString());
    }
}
