package gateway;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SliceRule;
import gateway.layering.egg.Egg;
import gateway.layering.hen.Hen;
import java.net.NetworkInterface;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package layering of all modules, on their main classes: high depends on low, never back, so
 * no two packages depend on each other through any path; and the pure packages (decisions, not I/O)
 * import no Netty channel or buffer types and no file system. gateway-app's tests are the one place
 * whose classpath holds every module.
 */
class LayeringTest {
  private static final JavaClasses GATEWAY =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(location -> !location.contains("-tests.jar"))
          .importPackages("gateway");

  /**
   * One slice per package: {@code proxy} (the top package), {@code proxy.http}, {@code core.net}...
   */
  static SliceRule packagesFreeOfCycles() {
    return slices().matching("gateway.(**)").should().beFreeOfCycles();
  }

  @Test
  void seesTheMainClassesOfEveryModuleAndNoTestClasses() {
    assertThat(
            List.of(
                "gateway.core.net.Uplink",
                "gateway.pcc.select.Selection",
                "gateway.proxy.server.ProxyServer",
                "gateway.app.Gateway"))
        .allMatch(GATEWAY::contain);
    assertThat(List.of("gateway.proxy.testing.RunningProxy", "gateway.layering.hen.Hen"))
        .noneMatch(GATEWAY::contain);
  }

  @Test
  void noPackageCycles() {
    packagesFreeOfCycles().check(GATEWAY);
  }

  @Test
  void theCycleRuleReportsACycle() {
    JavaClasses cycle = new ClassFileImporter().importClasses(Hen.class, Egg.class);

    EvaluationResult result = packagesFreeOfCycles().evaluate(cycle);

    assertThat(result.hasViolation()).isTrue();
    assertThat(result.getFailureReport().toString().replaceAll("\\s+", " "))
        .contains("Cycle detected: Slice layering.egg -> Slice layering.hen -> Slice layering.egg");
  }

  @Test
  void classifyAndSelectDoNoIo() {
    // Kept from the grep-based PurePackagesTest: no Netty at all, no files, no streams, no sockets.
    noIo("gateway.pcc.classify..", "gateway.pcc.select..").check(GATEWAY);
  }

  @Test
  void theHealthStateMachineAndItsValuesDoNoIoAndReadNoClock() {
    // Kept from the grep-based HealthPurityTest: the probes and the monitor in the same package are
    // the I/O side, so the pure part is named class by class (nested classes included).
    List<String> pureTypes =
        List.of(
            "HealthPolicy",
            "HealthState",
            "Passive",
            "RoundResult",
            "Roster",
            "RosterChange",
            "RttWindow",
            "StateChange",
            "TargetResult",
            "UplinkHealth",
            "UplinkState",
            "WindowStats");
    pureTypes.forEach(t -> assertThat(GATEWAY.contain("gateway.pcc.health." + t)).as(t).isTrue());
    String pure = "gateway\\.pcc\\.health\\.(" + String.join("|", pureTypes) + ")(\\$.*)?";
    noClasses()
        .that()
        .haveNameMatching(pure)
        .should()
        .dependOnClassesThat(
            resideInAnyPackage("io.netty..", "java.nio..", "java.io..")
                .or(resideInAPackage("java.net").and(simpleNameStartingWith("Socket"))))
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(Instant.class, "now")
        .orShould()
        .callMethod(Instant.class, "now", Clock.class)
        .check(GATEWAY);
  }

  @Test
  void theSniffReadersDoNoIoAndReadNoClock() {
    // What the first bytes of an intercepted connection say: bytes in, a verdict out. The handler
    // that buffers them owns the buffers and the time.
    assertThat(GATEWAY.contain("gateway.proxy.sniff.ClientHello")).isTrue();
    noClasses()
        .that()
        .resideInAPackage("gateway.proxy.sniff..")
        .should()
        .dependOnClassesThat(
            resideInAnyPackage("io.netty..", "java.nio..", "java.io..")
                .or(resideInAPackage("java.net").and(simpleNameStartingWith("Socket")))
                .or(type(NetworkInterface.class)))
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(Instant.class, "now")
        .orShould()
        .callMethod(Instant.class, "now", Clock.class)
        .check(GATEWAY);
  }

  @Test
  void theCachePolicyAndAdmissionHoldNoChannelsBuffersOrFiles() {
    // The pure RFC 9111 policy and the pure admission decision; empty until those packages exist.
    noClasses()
        .that()
        .resideInAnyPackage("gateway.proxy.cache.policy..", "gateway.proxy.admission..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty.channel..", "io.netty.buffer..", "java.nio.file..")
        .allowEmptyShould(true)
        .check(GATEWAY);
  }

  private static ArchRule noIo(String... packages) {
    return noClasses()
        .that()
        .resideInAnyPackage(packages)
        .should()
        .dependOnClassesThat(
            resideInAnyPackage("io.netty..", "java.nio.file..", "java.io..")
                .or(resideInAPackage("java.net").and(simpleNameStartingWith("Socket")))
                .or(type(NetworkInterface.class)));
  }
}
