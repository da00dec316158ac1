package io.logsdistributor.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test with an in-process distributor and demo analyzers of its own: each test starts them as it
 * needs, and both are stopped after it, the distributor first (so that it drains to the analyzers).
 */
abstract class FleetTest {

    @TempDir
    Path dir;
    Fleet fleet;
    RunningDistributor distributor;

    @AfterEach
    void stopDistributorAndFleet() throws Exception {
        if (distributor != null) {
            distributor.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }
}
