/** A runnable service that shows every part of Brownout working, and the README's quick start. */
package dev.brownout.demo;
