/** Auto-configuration of annotation-driven publishing ({@code @SendToGroup} and kin). */
@NullMarked
package io.github.webpubsub.autoconfigure.annotation;

import org.jspecify.annotations.NullMarked;
