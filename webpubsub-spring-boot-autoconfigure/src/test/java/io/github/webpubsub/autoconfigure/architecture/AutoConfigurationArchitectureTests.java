package io.github.webpubsub.autoconfigure.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.github.webpubsub.architecture.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The auto-configuration reaches the library only through its public API, and its own packages have
 * no cycles.
 */
class AutoConfigurationArchitectureTests {

  private static final JavaClasses AUTO_CONFIGURATION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
          .importPackages("io.github.webpubsub.autoconfigure");

  @Test
  void autoConfigurationHasClasses() {
    assertThat(AUTO_CONFIGURATION.size()).isGreaterThan(20);
  }

  @Test
  void autoConfigurationUsesOnlyTheLibrarysPublicApi() {
    ArchitectureRules.usesOnlyPublicApi().check(AUTO_CONFIGURATION);
  }

  @Test
  void autoConfigurationPackagesAreFreeOfCycles() {
    ArchitectureRules.packagesAreFreeOfCycles().check(AUTO_CONFIGURATION);
  }
}
