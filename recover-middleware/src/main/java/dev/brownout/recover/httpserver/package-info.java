/**
 * The recovery core as a filter for the JDK's built-in {@code com.sun.net.httpserver} server:
 * {@link dev.brownout.recover.httpserver.RecoverFilter}. No dependencies beyond the JDK.
 */
@NullMarked
package dev.brownout.recover.httpserver;

import org.jspecify.annotations.NullMarked;
