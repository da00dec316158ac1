package io.logsdistributor.delivery;

import io.logsdistributor.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * How far a replay of a dead-letter file got, in {@code FILE.progress}, so that a replay killed
 * half-way and run again goes on after the last line it finished: at most the packet in flight at
 * the kill is posted twice.
 *
 * <p>The file holds two fixed-size slots written in turn, each one text line with a sequence number
 * and a CRC: a save overwrites the older slot and is flushed to the disk before the next packet is
 * posted, so a crash (even a power loss tearing the write) leaves the other slot, one line behind,
 * intact. The file is locked while a replay runs: two replays of one file would post its packets
 * twice. It also records the SHA-256 of the part of the file already replayed, so that progress
 * recorded for one file is never applied to another one moved to the same path.
 */
final class ReplayProgress implements AutoCloseable {

    static final int SLOT_BYTES = 256;
    private static final Pattern SLOT = Pattern.compile(
            "replay-progress v1 seq=(\\d+) line=(\\d+) offset=(\\d+) remaining=(\\d+) accepted=(\\d+) kept=(\\d+) "
                    + "unreadable=(\\d+) prefix-sha256=([0-9a-f]{64}) crc32=([0-9a-f]{8}) *\n");

    /** Where a replay stands: lines done, the file offset after them, the length of FILE.remaining, counts. */
    record State(long line, long offset, long remainingBytes, long accepted, long kept, long unreadable) {
        static final State START = new State(0, 0, 0, 0, 0, 0);

        State next(long lineBytes, long remainingAfter, int acceptedNow, int keptNow, int unreadableNow) {
            return new State(line + 1, offset + lineBytes, remainingAfter, accepted + acceptedNow, kept + keptNow,
                    unreadable + unreadableNow);
        }
    }

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;
    private final MessageDigest prefix;
    private long sequence;
    private State state;

    private ReplayProgress(Path path, FileChannel channel, FileLock lock, MessageDigest prefix, long sequence, State state) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
        this.prefix = prefix;
        this.sequence = sequence;
        this.state = state;
    }

    static Path pathFor(Path file) {
        return file.resolveSibling(file.getFileName() + ".progress");
    }

    /** Opens (and locks) the progress of {@code file}, checking that it was recorded for this very file. */
    static ReplayProgress open(Path file) throws IOException {
        Path path = pathFor(file);
        boolean existed = Files.exists(path);
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = lock(channel, file, path);
            if (!existed) {
                syncDirectory(path);
            }
            Slot latest = latest(channel, path);
            MessageDigest prefix = sha256();
            State state = latest == null ? State.START : latest.state();
            if (state.offset() > 0) {
                boolean sameFile = Files.size(file) >= state.offset()
                        && hex(hashPrefix(file, state.offset(), prefix)).equals(latest.prefixSha256());
                if (!sameFile) {
                    throw new ConfigException("replay: " + path + " records the replay of another file (the first "
                            + state.offset() + " bytes of " + file + " are not the ones it replayed): to replay " + file
                            + " from its first line, delete " + path + " and " + ReplayRemaining.pathFor(file));
                }
            }
            return new ReplayProgress(path, channel, lock, prefix, latest == null ? 0 : latest.sequence(), state);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    State state() {
        return state;
    }

    Path path() {
        return path;
    }

    /**
     * Records that the line of {@code lineBytes} bytes after the current offset is done, and returns
     * only once that is on the disk.
     */
    void advance(byte[] line, int lineBytes, long remainingAfter, int accepted, int kept, int unreadable) throws IOException {
        prefix.update(line, 0, lineBytes);
        State next = state.next(lineBytes, remainingAfter, accepted, kept, unreadable);
        long nextSequence = sequence + 1;
        String text = "replay-progress v1 seq=" + nextSequence + " line=" + next.line() + " offset=" + next.offset()
                + " remaining=" + next.remainingBytes() + " accepted=" + next.accepted() + " kept=" + next.kept()
                + " unreadable=" + next.unreadable() + " prefix-sha256="
                + hex(prefix);
        byte[] slot = (text + " crc32=" + crc(text)).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(SLOT_BYTES);
        buffer.put(slot);
        while (buffer.position() < SLOT_BYTES - 1) {
            buffer.put((byte) ' ');
        }
        buffer.put((byte) '\n').flip();
        // the first record goes to the first slot: a file of at most one slot then means none was completed
        long position = ((nextSequence - 1) % 2) * SLOT_BYTES;
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        channel.force(false);
        sequence = nextSequence;
        state = next;
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    private record Slot(long sequence, State state, String prefixSha256) {
    }

    private static FileLock lock(FileChannel channel, Path file, Path path) throws IOException {
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new ConfigException("replay: another replay of " + file + " is running (" + path + " is locked)");
        }
        return lock;
    }

    /** The newest slot that is whole; null for a new file; a damaged file is an error, never a silent restart. */
    private static Slot latest(FileChannel channel, Path path) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return null;
        }
        ByteBuffer content = ByteBuffer.allocate((int) Math.min(size, 2L * SLOT_BYTES));
        while (content.hasRemaining() && channel.read(content, content.position()) >= 0) {
            // read until full or end of file
        }
        String text = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII);
        Slot latest = null;
        for (int start = 0; start < text.length(); start += SLOT_BYTES) {
            Slot slot = parse(text.substring(start, Math.min(text.length(), start + SLOT_BYTES)));
            if (slot != null && (latest == null || slot.sequence() > latest.sequence())) {
                latest = slot;
            }
        }
        if (latest == null && size <= SLOT_BYTES && tornFirstRecord(text)) {
            // killed or powered off while writing the first record: nothing was recorded, at most the
            // first line was posted, which is the packet in flight a rerun may post again
            return null;
        }
        if (latest == null) {
            throw new ConfigException("replay: " + path + " is damaged (no whole progress record in it): delete it to "
                    + "replay the file from its first line, knowing that packets it had replayed are then posted again");
        }
        return latest;
    }

    private static boolean tornFirstRecord(String text) {
        String first = "replay-progress v1 seq=1 ";
        return text.chars().allMatch(c -> c == 0) || first.startsWith(text) || text.startsWith(first);
    }

    private static Slot parse(String slot) {
        Matcher m = SLOT.matcher(slot);
        if (!m.matches()) {
            return null;
        }
        String text = slot.substring(0, slot.indexOf(" crc32="));
        if (!crc(text).equals(m.group(9))) {
            return null;
        }
        return new Slot(Long.parseLong(m.group(1)), new State(Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)),
                Long.parseLong(m.group(7))), m.group(8));
    }

    private static MessageDigest hashPrefix(Path file, long length, MessageDigest digest) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            long left = length;
            while (left > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    throw new IOException(file + " became shorter while being read");
                }
                digest.update(buffer, 0, read);
                left -= read;
            }
        }
        return digest;
    }

    private static String crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.US_ASCII));
        return String.format("%08x", crc.getValue());
    }

    /** So that the new progress file itself survives a power loss, not only its content. */
    private static void syncDirectory(Path file) {
        try (FileChannel directory = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can sync a directory (Windows); the content is still synced
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The digest so far, leaving the digest open for the next lines. */
    private static String hex(MessageDigest digest) {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }
}
