package io.logsdistributor.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code FILE.remaining}: the lines of a dead-letter file that a replay did not get accepted, in
 * their order, byte for byte, ready to be replayed in turn. A line is on the disk before the progress
 * that counts it is; lines written after the last recorded progress (a replay killed in between)
 * are cut off when the replay resumes, so a line is never kept twice.
 */
final class ReplayRemaining implements AutoCloseable {

    private final Path path;
    private FileChannel channel;
    private long length;

    private ReplayRemaining(Path path, long length) {
        this.path = path;
        this.length = length;
    }

    static Path pathFor(Path file) {
        return file.resolveSibling(file.getFileName() + ".remaining");
    }

    /** @param recordedLength the length the last recorded progress counted */
    static ReplayRemaining open(Path file, long recordedLength) throws IOException {
        Path path = pathFor(file);
        ReplayRemaining remaining = new ReplayRemaining(path, 0);
        if (Files.exists(path)) {
            remaining.channel = FileChannel.open(path, StandardOpenOption.WRITE);
            if (remaining.channel.size() > recordedLength) {
                remaining.channel.truncate(recordedLength);
                remaining.channel.force(false);
            }
            // shorter than recorded: someone edited it by hand; what is there stays, new lines follow it
            remaining.length = remaining.channel.size();
        }
        return remaining;
    }

    Path path() {
        return path;
    }

    long length() {
        return length;
    }

    /** Appends the line (with a line break, which a torn last line of the file may lack) and syncs it. */
    void keep(byte[] line, int lineBytes) throws IOException {
        if (channel == null) {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        }
        ByteBuffer buffer = ByteBuffer.wrap(line, 0, lineBytes);
        while (buffer.hasRemaining()) {
            length += channel.write(buffer, length);
        }
        if (lineBytes == 0 || line[lineBytes - 1] != '\n') {
            length += channel.write(ByteBuffer.wrap(new byte[] {'\n'}), length);
        }
        channel.force(false);
    }

    /** At the end of a replay: an empty file is removed, so that its absence says nothing remains. */
    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
        if (length == 0) {
            Files.deleteIfExists(path);
        }
    }
}
