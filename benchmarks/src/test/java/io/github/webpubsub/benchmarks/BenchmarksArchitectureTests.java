package io.github.webpubsub.benchmarks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The benchmarks measure what users get: they use only the library's public API. */
class BenchmarksArchitectureTests {

  private static final JavaClasses BENCHMARKS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("io.github.webpubsub.benchmarks");

  @Test
  void benchmarksUseOnlyPublicApi() {
    assertThat(BENCHMARKS.size()).isGreaterThan(10);
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.github.webpubsub..internal..")
        .because("a benchmark of internals would not measure what users run")
        .check(BENCHMARKS);
  }
}
