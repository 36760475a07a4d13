package dev.ticketrush.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of docs/architecture.md, checked on the compiled main classes: arrows between packages go
 * one way, the plumbing packages know no feature, and seat state is written only inside the seat feature.
 */
class ArchitectureTest {
  private static final String ROOT = "dev.ticketrush";
  private static final String[] FEATURES = {
      ROOT + ".event..", ROOT + ".seat..", ROOT + ".order..", ROOT + ".queue..", ROOT + ".broadcast..",
      ROOT + ".payment.."};
  /** The sealed SeatCommand and its records (SeatCommand$Hold, ...). */
  private static final String SEAT_COMMANDS = "dev\\.ticketrush\\.seat\\.SeatCommand(\\$.*)?";
  static JavaClasses classes;

  @BeforeAll
  static void importMainClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages(ROOT);
  }

  @Test
  void noPackageCycles() {
    slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void onlyTheCompositionRootKnowsTheCompositionRoot() {
    noClasses().that().resideOutsideOfPackage(ROOT)
        .should().dependOnClassesThat().resideInAPackage(ROOT)
        .check(classes);
  }

  @Test
  void webPlumbingImportsNoFeature() {
    noClasses().that().resideInAPackage(ROOT + ".web..")
        .should().dependOnClassesThat().resideInAnyPackage(FEATURES)
        .check(classes);
  }

  @Test
  void infraAndOutcomesImportNoFeatureAndNoWeb() {
    noClasses().that().resideInAnyPackage(ROOT + ".infra..", ROOT + ".outcome..", ROOT + ".config..")
        .should().dependOnClassesThat().resideInAnyPackage(concat(FEATURES, ROOT + ".web.."))
        .check(classes);
  }

  @Test
  void paymentImportsOnlyPlumbing() {
    // Where money moves knows nothing of purchases, seats or HTTP routes: it is a service the purchase calls.
    noClasses().that().resideInAPackage(ROOT + ".payment..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".event..", ROOT + ".seat..", ROOT + ".order..",
            ROOT + ".queue..", ROOT + ".broadcast..", ROOT + ".web..", ROOT + ".loadtest..", ROOT + ".gatewaysim..")
        .check(classes);
  }

  @Test
  void onlyTheCompositionRootNamesAPaymentProvider() {
    // The purchase flow sees the PaymentGateway SPI only; TicketRush picks the provider.
    noClasses().that().resideOutsideOfPackages(ROOT, ROOT + ".payment.stripe..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".payment.stripe..")
        .check(classes);
  }

  @Test
  void seatWritingScriptsAreUsedOnlyByHoldVerticle() {
    // HoldVerticle constructs SeatScripts and runs each SeatCommand on it; a command only names its method.
    noClasses().that().doNotHaveFullyQualifiedName(ROOT + ".seat.HoldVerticle")
        .and().doNotHaveFullyQualifiedName(ROOT + ".seat.SeatScripts")
        .and().haveNameNotMatching(SEAT_COMMANDS)
        .should().dependOnClassesThat().haveFullyQualifiedName(ROOT + ".seat.SeatScripts")
        .check(classes);
  }

  @Test
  void seatCommandsAreSentOnlyThroughTheSeatService() {
    noClasses().that().resideOutsideOfPackage(ROOT + ".seat..")
        .should().dependOnClassesThat().haveNameMatching(SEAT_COMMANDS)
        .check(classes);
  }

  @Test
  void loadToolImportsNoProductionCode() {
    noClasses().that().resideInAPackage(ROOT + ".loadtest..")
        .should().dependOnClassesThat().resideInAnyPackage(concat(FEATURES, ROOT + ".web..", ROOT + ".infra..",
            ROOT + ".outcome..", ROOT + ".config..", ROOT))
        .check(classes);
  }

  @Test
  void gatewaySimulatorImportsNoProductionCode() {
    // A stand-in for an outside service: sharing code with the gateway client would let a bug in one hide
    // the same bug in the other.
    noClasses().that().resideInAPackage(ROOT + ".gatewaysim..")
        .should().dependOnClassesThat().resideInAnyPackage(concat(FEATURES, ROOT + ".web..", ROOT + ".infra..",
            ROOT + ".outcome..", ROOT + ".config..", ROOT + ".loadtest..", ROOT))
        .check(classes);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
