/** Placeholder. */
package dev.brownout.core;
