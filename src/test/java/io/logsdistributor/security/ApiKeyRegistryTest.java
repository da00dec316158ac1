package io.logsdistributor.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyRegistryTest {

    private static final String OTHER_KEY = "rotated-key";

    @Test
    void aKeyIsTakenFromBearerOrXApiKeyButNotFromAnAmbiguousHeader() {
        assertThat(ApiKeyRegistry.presentedKey(message("Authorization", "Bearer  abc "))).isEqualTo("abc");
        assertThat(ApiKeyRegistry.presentedKey(message("Authorization", "bearer abc"))).isEqualTo("abc");
        assertThat(ApiKeyRegistry.presentedKey(message("X-API-Key", "abc"))).isEqualTo("abc");
        assertThat(ApiKeyRegistry.presentedKey(message("Authorization", "Basic abc"))).isNull();
        assertThat(ApiKeyRegistry.presentedKey(message("Authorization", "Bearer "))).isNull();
        assertThat(ApiKeyRegistry.presentedKey(message("X-API-Key", List.of("abc", "abc")))).isNull();
    }

    @Test
    void aChangedFileReplacesTheKeysAndABrokenOneKeepsThem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("keys.yaml"), keys(ApiKeysFileTest.DIGEST));
        ApiKeyRegistry registry = ApiKeyRegistry.load(file);
        assertThat(registry.authenticate(message("X-API-Key", ApiKeysFileTest.KEY)).agent()).isEqualTo("agent-7");

        Files.writeString(file, "keys: [{agent: agent-7, sha256: nope}]");
        registry.reloadIfChanged();
        registry.reloadIfChanged();
        assertThat(registry.refusedReloads()).as("refused once, not on every check").isEqualTo(1);
        assertThat(registry.authenticate(message("X-API-Key", ApiKeysFileTest.KEY))).isNotNull();

        Files.writeString(file, keys(java.util.HexFormat.of().formatHex(ApiKeys.sha256(OTHER_KEY))));
        registry.reloadIfChanged();
        assertThat(registry.authenticate(message("X-API-Key", ApiKeysFileTest.KEY))).isNull();
        assertThat(registry.authenticate(message("X-API-Key", OTHER_KEY))).isNotNull();
    }

    private static String keys(String digest) {
        return "keys:\n  - agent: agent-7\n    sha256: " + digest + "\n";
    }

    private static Message message(String header, Object value) {
        Message message = new DefaultMessage(new DefaultCamelContext());
        message.setHeader(header, value);
        return message;
    }
}
