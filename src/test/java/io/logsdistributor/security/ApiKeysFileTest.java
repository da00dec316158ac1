package io.logsdistributor.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logsdistributor.config.ConfigException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiKeysFileTest {

    static final String KEY = "s3cret-key-of-agent-7";
    static final String DIGEST = HexFormat.of().formatHex(ApiKeys.sha256(KEY));

    @Test
    void aValidFileFindsKeysByTheirHashOnly() {
        ApiKeys keys = ApiKeysFile.parse("keys:\n  - agent: agent-7\n    sha256: " + DIGEST.toUpperCase()
                + "\n    rate: {packets-per-second: 2.5, messages-per-second: 100}\n  - agent: agent-8\n    sha256: "
                + "0".repeat(64) + "\n", "keys.yaml");

        ApiKey found = keys.find(KEY);
        assertThat(found.agent()).isEqualTo("agent-7");
        assertThat(found.rate()).isEqualTo(new RateLimit(2.5, 100));
        assertThat(keys.find(DIGEST)).as("the digest is not a key").isNull();
        assertThat(keys.find(KEY + " ")).isNull();
        assertThat(found.toString()).doesNotContain(DIGEST);
    }

    @Test
    void anEntryWithRoleOperatorAndNoAgentIsAnOperatorKeyAndAnAgentEntryAnAgentKey() {
        String operatorKey = "operator-key";
        ApiKeys keys = ApiKeysFile.parse("keys:\n"
                + "  - role: operator\n    sha256: " + HexFormat.of().formatHex(ApiKeys.sha256(operatorKey)) + "\n"
                + "  - agent: agent-7\n    role: agent\n    sha256: " + DIGEST + "\n"
                + "  - agent: agent-8\n    sha256: " + "0".repeat(64) + "\n", "keys.yaml");

        ApiKey operator = keys.find(operatorKey);
        assertThat(operator.role()).isEqualTo(Role.OPERATOR);
        assertThat(operator.operator()).isTrue();
        assertThat(operator.agent()).isNull();
        assertThat(operator.toString()).isEqualTo("ApiKey[role=operator]");
        ApiKey agent = keys.find(KEY);
        assertThat(agent.role()).isEqualTo(Role.AGENT);
        assertThat(agent.operator()).isFalse();
        assertThat(agent.agent()).isEqualTo("agent-7");
    }

    @Test
    void theExampleKeysFileOfTheSecurityGuideIsValid() throws Exception {
        String guide = java.nio.file.Files.readString(java.nio.file.Path.of("docs", "security.md"));
        int roles = guide.indexOf("### Roles");
        int start = guide.indexOf("```yaml\n", roles) + "```yaml\n".length();
        String example = guide.substring(start, guide.indexOf("```", start));

        ApiKeys keys = ApiKeysFile.parse(example, "docs/security.md");

        assertThat(keys.size()).isEqualTo(3);
        assertThat(keys.find("test3").operator()).as("the operator key's digest is sha256(test3)").isTrue();
        assertThat(keys.find("test").agent()).isEqualTo("agent-7");
    }

    @Test
    void aKeyPastedAsTheRoleIsNeverRepeated() {
        String pasted = "0c9e1f1a2b3c4d5e6f7a8b9c0d1e2f3a";
        assertThatThrownBy(() -> ApiKeysFile.parse("keys: [{role: " + pasted + ", sha256: " + DIGEST + "}]", "keys.yaml"))
                .isInstanceOf(ConfigException.class).hasMessage("keys.yaml: keys[0].role: is not a role (expected agent or operator)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "keys: []                                                       | keys.yaml: keys: must be a non-empty list",
        "key: []                                                        | keys.yaml: key: unknown key (expected 'keys')",
        "keys: [{agent: a, sha256: DIGEST, agnet: b}]                   | keys.yaml: keys[0].agnet: unknown key (expected one of agent, role, sha256, rate)",
        "keys: [{sha256: DIGEST}]                                       | keys.yaml: keys[0].agent: required (or role: operator for an operator key)",
        "keys: [{agent: a, role: operator, sha256: DIGEST}]             | keys.yaml: keys[0].agent: not allowed with role: operator (an operator key acts for every agent; give an agent its own key without role: operator)",
        "keys: [{role: admin, sha256: DIGEST}]                          | keys.yaml: keys[0].role: 'admin' is not a role (expected agent or operator)",
        "keys: [{role: [operator], sha256: DIGEST}]                     | keys.yaml: keys[0].role: is not a role (expected agent or operator)",
        "keys: [{role: agent, sha256: DIGEST}]                          | keys.yaml: keys[0].agent: required (or role: operator for an operator key)",
        "keys: [{role: operator}]                                       | keys.yaml: keys[0].sha256: required",
        "keys: [{agent: a}]                                             | keys.yaml: keys[0].sha256: required",
        "keys: [{agent: a, sha256: DIGEST, rate: {packets-per-second: -1}} ] | keys.yaml: keys[0].rate.packets-per-second: -1 must be a finite number >= 0 (0 = unlimited)",
        "keys: [{agent: a, sha256: DIGEST, rate: {messages-per-second: many}}] | keys.yaml: keys[0].rate.messages-per-second: 'many' is not a number",
        "keys: [{agent: a, sha256: DIGEST}, {agent: b, sha256: DIGEST}] | keys.yaml: keys[1].sha256: the same key is listed twice",
    })
    void problemsAreOneLineNamingTheField(String yaml, String message) {
        assertThatThrownBy(() -> ApiKeysFile.parse(yaml.replace("DIGEST", DIGEST), "keys.yaml"))
                .isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void aKeyPastedInPlaceOfItsHashIsNeverRepeated() {
        assertThatThrownBy(() -> ApiKeysFile.parse("keys:\n  - agent: a\n    sha256: " + KEY + "\n", "keys.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("keys.yaml: keys[0].sha256: must be")
                .message().doesNotContain(KEY);
        assertThatThrownBy(() -> ApiKeysFile.parse("keys:\n  - agent: a\n    sha256: \"" + KEY + "\n  - [", "keys.yaml"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("keys.yaml: not valid YAML")
                .message().doesNotContain(KEY);
    }
}
