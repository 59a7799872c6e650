/**
 * Models by Hugging Face id: the local hub cache in huggingface_hub's layout ({@link dev.symbiosis.djl.hub.HubCache}),
 * the environment it is configured by ({@link dev.symbiosis.djl.hub.HubSettings}), and downloads from the hub's
 * resolve endpoint into that cache, only when asked for ({@link dev.symbiosis.djl.hub.HubDownloader},
 * {@link dev.symbiosis.djl.hub.HubCheckpoints}).
 */
package dev.symbiosis.djl.hub;
