package io.github.webpubsub.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The library's boundaries, checked on its main classes. */
class LibraryArchitectureTests {

  private static final JavaClasses LIBRARY =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages(ArchitectureRules.ROOT);

  @Test
  void libraryHasClasses() {
    // Guards the rules below against passing vacuously on an empty import.
    classes().should().haveSimpleNameNotEndingWith("Tests").check(LIBRARY);
    org.assertj.core.api.Assertions.assertThat(LIBRARY.size()).isGreaterThan(80);
  }

  @Test
  void libraryNeverImportsSpringBoot() {
    ArchitectureRules.doesNotUseSpringBoot().check(LIBRARY);
  }

  @Test
  void internalPackagesAreUsedOnlyFromTheirParent() {
    ArchitectureRules.internalIsUsedOnlyFromItsParent().check(LIBRARY);
  }

  @Test
  void packagesAreFreeOfCycles() {
    ArchitectureRules.packagesAreFreeOfCycles().check(LIBRARY);
  }

  @Test
  void parentOfAnInternalPackageIsThePackageAboveIt() {
    org.assertj.core.api.Assertions.assertThat(
            ArchitectureRules.parentOfInternal("io.github.webpubsub.core.internal"))
        .isEqualTo("io.github.webpubsub.core");
    org.assertj.core.api.Assertions.assertThat(
            ArchitectureRules.parentOfInternal("io.github.webpubsub.core.internal.deep"))
        .isEqualTo("io.github.webpubsub.core");
    org.assertj.core.api.Assertions.assertThat(
            ArchitectureRules.parentOfInternal("io.github.webpubsub.core"))
        .isEqualTo("io.github.webpubsub.core");
  }
}
