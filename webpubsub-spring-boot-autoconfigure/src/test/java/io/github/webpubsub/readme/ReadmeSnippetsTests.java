package io.github.webpubsub.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every Java snippet of the README compiles as shown, against this module's test classpath (the
 * starter's modules, WebFlux, Spring MVC, Spring Security). The one snippet of the embedded
 * emulator section needs that module, which is not on this classpath; it is the sample's {@code
 * ChatRoomEmulatorTests}, compiled and run there.
 */
class ReadmeSnippetsTests {

  private static final Pattern SNIPPET = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyJavaSnippetCompilesAsShown(@TempDir Path sources) throws IOException {
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    Matcher matcher = SNIPPET.matcher(readme);
    List<Path> files = new ArrayList<>();
    int skipped = 0;
    while (matcher.find()) {
      String snippet = matcher.group(1);
      if (snippet.contains("io.github.webpubsub.emulator.boot")) {
        skipped++;
        continue;
      }
      Path file = sources.resolve("Snippet" + files.size() + ".java");
      // One package for all: later snippets use the records earlier ones declare.
      Files.writeString(file, "package readme;\n" + snippet, StandardCharsets.UTF_8);
      files.add(file);
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(7);
    assertThat(skipped).isEqualTo(1);

    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fileManager =
        compiler.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      Path classes = Files.createDirectories(sources.resolve("classes"));
      List<String> options =
          List.of(
              "-proc:none",
              "-parameters",
              "-classpath",
              System.getProperty("java.class.path"),
              "-d",
              classes.toString());
      boolean compiled =
          compiler
              .getTask(
                  null,
                  fileManager,
                  diagnostics,
                  options,
                  null,
                  fileManager.getJavaFileObjectsFromPaths(files))
              .call();
      assertThat(diagnostics.getDiagnostics())
          .filteredOn((diagnostic) -> diagnostic.getKind() == javax.tools.Diagnostic.Kind.ERROR)
          .isEmpty();
      assertThat(compiled).isTrue();
    }
  }
}
