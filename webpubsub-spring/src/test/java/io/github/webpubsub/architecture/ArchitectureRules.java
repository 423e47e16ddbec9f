package io.github.webpubsub.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The project's architecture rules, shared by the modules' architecture tests (this class is in the
 * library's test jar).
 */
public final class ArchitectureRules {

  /** The project's root package. */
  public static final String ROOT = "io.github.webpubsub";

  private static final String INTERNAL = ".internal";

  private ArchitectureRules() {}

  /**
   * A class in an {@code internal} package is used only from that package and its parent: {@code
   * core.internal} only from {@code core} (and {@code core.internal} itself).
   *
   * @return the rule
   */
  public static ArchRule internalIsUsedOnlyFromItsParent() {
    return classes()
        .that()
        .resideInAPackage(ROOT + "..internal..")
        .should(beUsedOnlyFromTheirParentPackage())
        .allowEmptyShould(true);
  }

  /**
   * No cycles between the project's packages, an {@code internal} package counted as part of its
   * parent (they are one unit: the parent's public API and its implementation).
   *
   * @return the rule
   */
  public static ArchRule packagesAreFreeOfCycles() {
    return slices().assignedFrom(packagesWithInternalInTheirParent()).should().beFreeOfCycles();
  }

  /**
   * Nothing depends on an {@code internal} package of the project: for modules that may use only
   * the library's public API (auto-configuration, benchmarks, samples).
   *
   * @return the rule
   */
  public static ArchRule usesOnlyPublicApi() {
    return noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage(ROOT + "..internal..")
        .because("only the library's public API and documented extension points may be used");
  }

  /**
   * Nothing depends on Spring Boot.
   *
   * @return the rule
   */
  public static ArchRule doesNotUseSpringBoot() {
    return noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.springframework.boot..")
        .because("the library works in any Spring application; Boot wiring lives elsewhere");
  }

  /** The parent package of an internal package, for a class in one. */
  static String parentOfInternal(String packageName) {
    int at = packageName.indexOf(INTERNAL + ".");
    if (at < 0 && packageName.endsWith(INTERNAL)) {
      at = packageName.length() - INTERNAL.length();
    }
    return (at < 0) ? packageName : packageName.substring(0, at);
  }

  private static ArchCondition<JavaClass> beUsedOnlyFromTheirParentPackage() {
    return new ArchCondition<>("be used only from their parent package") {
      @Override
      public void check(JavaClass internalClass, ConditionEvents events) {
        String parent = parentOfInternal(internalClass.getPackageName());
        for (Dependency dependency : internalClass.getDirectDependenciesToSelf()) {
          JavaClass origin = dependency.getOriginClass();
          String originPackage = origin.getPackageName();
          boolean allowed =
              originPackage.equals(parent) || originPackage.startsWith(parent + INTERNAL);
          if (!allowed) {
            events.add(
                SimpleConditionEvent.violated(
                    dependency,
                    dependency.getDescription()
                        + ", but "
                        + internalClass.getPackageName()
                        + " may only be used from "
                        + parent));
          }
        }
      }
    };
  }

  private static SliceAssignment packagesWithInternalInTheirParent() {
    return new SliceAssignment() {
      @Override
      public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
        String packageName = javaClass.getPackageName();
        if (!packageName.startsWith(ROOT)) {
          return SliceIdentifier.ignore();
        }
        return SliceIdentifier.of(parentOfInternal(packageName));
      }

      @Override
      public String getDescription() {
        return "packages of " + ROOT + " (internal packages counted with their parent)";
      }
    };
  }
}
