package io.logsdistributor.queue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.core.journal.impl.JournalImpl;

/**
 * Finds packet records that the journal skipped while loading because they are damaged (a write torn by
 * a crash or power loss, a truncated file). Artemis skips such records silently; the contract wants each
 * one counted and logged with its position, so this reads the journal files once more at start-up.
 *
 * <p>An add record is laid out as: type (1), file id (4), compact count (1), record id (8), length (4),
 * user type (1), payload (length), check size (4) = length + 23. Our payload starts with
 * {@link PacketRecord#MARKER}. A marker preceded by an add-record header of this file (records of an
 * earlier use of a recycled file carry another file id) whose check size does not match is a record the
 * journal could not read.
 */
final class JournalDamage {

    /** A damaged record: the file, the byte offset of the record, and its id as far as it could be read. */
    record Damage(Path file, int offset, long recordId) {
    }

    private static final int HEADER = 19;
    private static final int TRAILER = 4;

    private JournalDamage() {
    }

    static List<Damage> scan(Path dir, String prefix, String extension) throws IOException {
        List<Damage> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, prefix + "-*." + extension)) {
            for (Path file : files) {
                scanFile(file, Files.readAllBytes(file), found);
            }
        }
        return found;
    }

    private static void scanFile(Path file, byte[] bytes, List<Damage> found) {
        if (bytes.length < JournalImpl.SIZE_HEADER + HEADER) {
            return;
        }
        ByteBuffer data = ByteBuffer.wrap(bytes);
        // file header: journal version (4), user version (4), file id (8); records carry its low 31 bits
        int fileId = (int) (data.getLong(8) & Integer.MAX_VALUE);
        for (int at = JournalImpl.SIZE_HEADER + HEADER; at + 4 <= bytes.length; at++) {
            if (data.getInt(at) != PacketRecord.MARKER) {
                continue;
            }
            int start = at - HEADER;
            if (bytes[start] != JournalImpl.ADD_RECORD || data.getInt(start + 1) != fileId
                    || bytes[start + 18] != PacketRecord.TYPE) {
                continue;
            }
            int length = data.getInt(start + 14);
            long end = (long) at + length + TRAILER;
            boolean intact = length > 0 && end <= bytes.length && data.getInt((int) end - TRAILER) == length + HEADER + TRAILER;
            if (!intact) {
                found.add(new Damage(file, start, data.getLong(start + 6)));
            }
        }
    }
}
