package io.logsdistributor.delivery;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The lines of a dead-letter file from a byte offset on, each with its exact bytes (line break
 * included) so that progress can count bytes and FILE.remaining can keep a line as it was. Read one
 * at a time: a file of any size replays in the memory of its largest line.
 */
final class ReplayLines implements AutoCloseable {

    /** One line: {@code bytes[0, length)} as in the file, its line break included when it has one. */
    static final class Line {
        private byte[] bytes = new byte[8192];
        private int length;

        byte[] bytes() {
            return bytes;
        }

        int length() {
            return length;
        }

        /** Without the line break (and a carriage return before it: a record never holds a raw one). */
        byte[] content() {
            int end = length;
            if (end > 0 && bytes[end - 1] == '\n') {
                end--;
            }
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
            return Arrays.copyOf(bytes, end);
        }

        boolean blank() {
            for (int i = 0; i < length; i++) {
                if (bytes[i] != ' ' && bytes[i] != '\t' && bytes[i] != '\r' && bytes[i] != '\n') {
                    return false;
                }
            }
            return true;
        }

        private void add(int b) {
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, bytes.length * 2);
            }
            bytes[length++] = (byte) b;
        }
    }

    private final InputStream in;
    private final Line line = new Line();

    private ReplayLines(InputStream in) {
        this.in = in;
    }

    static ReplayLines open(Path file, long offset) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.position(offset);
        return new ReplayLines(new BufferedInputStream(Channels.newInputStream(channel), 64 * 1024));
    }

    /** The next line, reusing one buffer (valid until the next call), or null at the end of the file. */
    Line next() throws IOException {
        line.length = 0;
        for (int b = in.read(); b >= 0; b = in.read()) {
            line.add(b);
            if (b == '\n') {
                return line;
            }
        }
        return line.length == 0 ? null : line;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
