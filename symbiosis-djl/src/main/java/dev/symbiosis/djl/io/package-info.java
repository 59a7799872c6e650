/** Safetensors reading and writing in plain Java, and atomic file/directory replacement. */
package dev.symbiosis.djl.io;
