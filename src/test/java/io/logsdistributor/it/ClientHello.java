package io.logsdistributor.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.security.SecureRandom;

/**
 * A TLS ClientHello written byte by byte, to ask a server for a protocol version or cipher suites the
 * test JVM's own TLS stack would refuse to offer (TLS 1.1 is disabled in the JDK's security policy).
 * {@link #offer} tells whether the server answered with a ServerHello.
 */
final class ClientHello {

    static final int TLS_1_1 = 0x0302;
    static final int TLS_1_2 = 0x0303;
    static final int ECDHE_ECDSA_AES_128_GCM_SHA256 = 0xC02B;
    static final int ECDHE_ECDSA_AES_128_CBC_SHA = 0xC009;
    static final int ECDHE_ECDSA_AES_128_CBC_SHA256 = 0xC023;
    static final int ECDHE_ECDSA_AES_256_CBC_SHA384 = 0xC024;

    private ClientHello() {
    }

    /** @return whether the server chose to go on (ServerHello) rather than refuse (alert or close) */
    static boolean offer(int port, int version, int... cipherSuites) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(hello(version, cipherSuites));
            InputStream in = socket.getInputStream();
            int contentType = in.read();
            in.readNBytes(4);
            int handshakeType = in.read();
            return contentType == 22 && handshakeType == 2;
        } catch (IOException e) {
            // reset: refused as well
            return false;
        }
    }

    private static byte[] hello(int version, int... cipherSuites) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, version);
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        body.writeBytes(random);
        body.write(0);
        u16(body, cipherSuites.length * 2);
        for (int suite : cipherSuites) {
            u16(body, suite);
        }
        body.write(1);
        body.write(0);
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        // supported_groups: secp256r1, x25519
        extension(extensions, 0x000a, new byte[] {0, 4, 0, 0x17, 0, 0x1d});
        // ec_point_formats: uncompressed
        extension(extensions, 0x000b, new byte[] {1, 0});
        // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256, rsa_pkcs1_sha256
        extension(extensions, 0x000d, new byte[] {0, 6, 4, 3, 8, 4, 4, 1});
        u16(body, extensions.size());
        body.writeBytes(extensions.toByteArray());

        ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        handshake.write(1);
        u24(handshake, body.size());
        handshake.writeBytes(body.toByteArray());
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(22);
        u16(record, 0x0301);
        u16(record, handshake.size());
        record.writeBytes(handshake.toByteArray());
        return record.toByteArray();
    }

    private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
        u16(out, type);
        u16(out, data.length);
        out.writeBytes(data);
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >> 8);
        out.write(value & 0xff);
    }

    private static void u24(ByteArrayOutputStream out, int value) {
        out.write(value >> 16);
        u16(out, value & 0xffff);
    }
}
