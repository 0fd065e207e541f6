// Playback of an Audio object's <audio>: play / pause, seek, play one segment, the playhead tick, a synced partner.
// Rules:
// - while playing, the playhead is repainted once per animation frame (`timeupdate` alone is ~4 Hz) and kept in view;
// - playing a segment stops at its end (`stopAt`); any other play, seek or toggle plays on freely;
// - `user` moves are told to the synced object (mediasync.js); moves it tells us are applied, never told back
//   (a difference under 50 ms is not worth a seek that would stutter).

import { clamp } from "./audio_timeline.js";

/** @typedef {import("../mediasync.js").SyncKind} SyncKind */

/**
 * @typedef {object} AudioPlayerHooks
 * @property {() => number} duration   seconds (NaN or 0: nothing loaded)
 * @property {() => void} paintHead    the time or the play state changed
 * @property {() => void} follow       keep the playhead in view
 * @property {(message: string) => void} hint
 */

export class AudioPlayer {
	/**
	 * @param {HTMLAudioElement} audio
	 * @param {(kind: SyncKind, time: number) => void} emit  tells the synced object
	 * @param {AudioPlayerHooks} hooks
	 */
	constructor(audio, emit, hooks) {
		this.audio = audio;
		this.emit = emit;
		this.hooks = hooks;
		/** @type {number|null} stop playing here (a region being played) */
		this.stopAt = null;
		this.raf = 0;
		for (const ev of ["play", "pause", "seeked", "timeupdate"]) audio.addEventListener(ev, () => {
			hooks.paintHead();
			if (ev === "play" && !this.raf) this.raf = requestAnimationFrame(() => this.#tick());
		});
	}

	ready() {
		return this.hooks.duration() > 0;
	}

	/** What the synced object did. @param {SyncKind} kind @param {number} t @param {number} rate */
	synced(kind, t, rate) {
		const audio = this.audio;
		if (kind === "seek" && Math.abs(audio.currentTime - t) > 0.05) audio.currentTime = t;
		if (kind === "play" && audio.paused) {
			if (Math.abs(audio.currentTime - t) > 0.05) audio.currentTime = t;
			this.#start();
		}
		if (kind === "pause" && !audio.paused) audio.pause();
		if (kind === "rate") audio.playbackRate = rate;
	}

	toggle() {
		if (!this.ready()) return;
		const audio = this.audio;
		if (audio.paused) {
			this.stopAt = null;
			if (audio.currentTime >= this.hooks.duration()) audio.currentTime = 0;
			this.#start();
			this.emit("play", audio.currentTime);
		} else {
			audio.pause();
			this.hooks.paintHead();
			this.emit("pause", audio.currentTime);
		}
	}

	/** @param {number} t */
	seek(t) {
		if (!this.ready()) return;
		this.stopAt = null;
		this.audio.currentTime = clamp(t, 0, this.hooks.duration());
		this.hooks.paintHead();
		this.emit("seek", this.audio.currentTime);
	}

	/** Play [start, end] once (a clicked segment). @param {number} start @param {number} end */
	playRange(start, end) {
		this.audio.currentTime = clamp(start, 0, this.hooks.duration());
		this.stopAt = end;
		this.#start();
		this.emit("play", this.audio.currentTime);
	}

	/** Pause (told to the synced object) if playing. */
	pause() {
		if (this.audio.paused) return;
		this.audio.pause();
		this.emit("pause", this.audio.currentTime);
	}

	/** A new task: stop now, no tick, no segment end. */
	reset() {
		if (!this.audio.paused) this.audio.pause();
		if (this.raf) cancelAnimationFrame(this.raf);
		this.raf = 0;
		this.stopAt = null;
	}

	#start() {
		this.audio.play().then(
			() => {
				if (!this.raf) this.raf = requestAnimationFrame(() => this.#tick());
			},
			(e) => this.hooks.hint(`Audio cannot play: ${e instanceof Error ? e.message : e}`),
		);
	}

	#tick() {
		this.raf = 0;
		if (this.stopAt !== null && this.audio.currentTime >= this.stopAt) {
			this.audio.pause();
			this.stopAt = null;
		}
		this.hooks.paintHead();
		this.hooks.follow();
		if (!this.audio.paused) this.raf = requestAnimationFrame(() => this.#tick());
	}
}
