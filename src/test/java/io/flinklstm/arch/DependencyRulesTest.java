package io.flinklstm.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dependency rules of docs/architecture.md, enforced on the compiled product classes. */
class DependencyRulesTest {
  private static final String FLINK = "org.apache.flink..";
  private static final String KAFKA = "org.apache.kafka..";
  private static final String ND4J = "org.nd4j..";
  private static final String DL4J = "org.deeplearning4j..";

  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.flinklstm");
  }

  @Test
  void modelDetectAndWireFormatsArePlainJava() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage(
                "io.flinklstm.model..", "io.flinklstm.detect..", "io.flinklstm.wire..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(FLINK, KAFKA, ND4J, DL4J));
  }

  @Test
  void theNabScorerIsPlainJava() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.flinklstm.evaluate..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                FLINK,
                KAFKA,
                ND4J,
                DL4J,
                "io.flinklstm.job..",
                "io.flinklstm.sidecar..",
                "io.flinklstm.local..",
                "io.flinklstm.cli.."));
  }

  @Test
  void modelStandsAlone() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.flinklstm.model..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.flinklstm.detect..",
                "io.flinklstm.job..",
                "io.flinklstm.train..",
                "io.flinklstm.sidecar..",
                "io.flinklstm.importer..",
                "io.flinklstm.cli.."));
  }

  @Test
  void detectUsesOnlyTheModel() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.flinklstm.detect..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.flinklstm.job..",
                "io.flinklstm.train..",
                "io.flinklstm.sidecar..",
                "io.flinklstm.importer..",
                "io.flinklstm.cli.."));
  }

  @Test
  void trainingAndImportersStayOffFlink() {
    check(
        noClasses()
            .that()
            .resideInAnyPackage("io.flinklstm.train..", "io.flinklstm.importer..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(FLINK, "io.flinklstm.job..", "io.flinklstm.cli.."));
  }

  @Test
  void theJobDoesNotUseNd4j() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.flinklstm.job..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                ND4J,
                DL4J,
                "io.flinklstm.train..",
                "io.flinklstm.sidecar..",
                "io.flinklstm.cli.."));
  }

  @Test
  void theSidecarDoesNotUseFlink() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.flinklstm.sidecar..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(FLINK, "io.flinklstm.job..", "io.flinklstm.cli.."));
  }

  @Test
  void theDemoDataMetricsAndReportArePlainJava() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.flinklstm.demo..")
            .and()
            .doNotHaveSimpleName("DemoRun")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                FLINK,
                KAFKA,
                ND4J,
                DL4J,
                "io.flinklstm.local..",
                "io.flinklstm.job..",
                "io.flinklstm.sidecar..",
                "io.flinklstm.train..",
                "io.flinklstm.cli.."));
  }

  @Test
  void modelTypesKnowNothingOfKernelsTrainingOrFiles() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.flinklstm.model")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                "io.flinklstm.model.kernel..",
                "io.flinklstm.model.bptt..",
                "io.flinklstm.model.format.."));
  }

  @Test
  void theStepKernelsKnowNothingOfTrainingOrFiles() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.flinklstm.model.kernel..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.flinklstm.model.bptt..", "io.flinklstm.model.format.."));
  }

  @Test
  void trainingAndTheFileFormatAreApart() {
    check(
        noClasses()
            .that()
            .resideInAPackage("io.flinklstm.model.bptt..")
            .should()
            .dependOnClassesThat()
            .resideInAPackage("io.flinklstm.model.format.."));
    check(
        noClasses()
            .that()
            .resideInAPackage("io.flinklstm.model.format..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("io.flinklstm.model.kernel..", "io.flinklstm.model.bptt.."));
  }

  /**
   * What the job, sidecar and importers use of the model's sub-packages; the kernels, their layouts
   * and the file format's parts stay package-private.
   */
  @Test
  void theModelSubPackagesShowASmallPublicSurface() {
    check(
        classes()
            .that()
            .resideInAPackage("io.flinklstm.model.kernel")
            .and()
            .arePublic()
            .and()
            .areTopLevelClasses()
            .should()
            .haveSimpleName("Stepper")
            .orShould()
            .haveSimpleName("SymbolStepper")
            .orShould()
            .haveSimpleName("Kernels")
            .orShould()
            .haveSimpleName("VectorWidth")
            .orShould()
            .haveSimpleName("VectorActivations"));
    check(
        classes()
            .that()
            .resideInAPackage("io.flinklstm.model.bptt")
            .and()
            .arePublic()
            .and()
            .areTopLevelClasses()
            .should()
            .haveSimpleName("Bptt")
            .orShould()
            .haveSimpleName("Parameters"));
    check(
        classes()
            .that()
            .resideInAPackage("io.flinklstm.model.format")
            .and()
            .arePublic()
            .and()
            .areTopLevelClasses()
            .should()
            .haveSimpleNameStartingWith("ModelFile")
            .orShould()
            .haveSimpleName("ModelKeys")
            .orShould()
            .haveSimpleName("GateOrder"));
  }

  /**
   * Packages that later work adds may be empty today; the rule still guards them once they exist.
   */
  private static void check(ArchRule rule) {
    rule.allowEmptyShould(true).check(classes);
  }
}
