// The <video> of a Video object as a sequence of frames: play / pause, stepping, the frame shown, a synced partner.
// Rules (Label Studio's): frame f (1-based) is time f / frameRate, the frame shown at time t is round(t · frameRate)
// clamped to 1..length, and length = ceil(duration · frameRate);
// - a file without duration metadata (a MediaRecorder WebM reports Infinity) is sought to its end once to learn it;
// - while playing, the frame is read once per animation frame and the owner repaints only when it changed;
// - `user` moves are told to the synced object (mediasync.js); moves it tells us are applied, never told back.

/** @typedef {import("../mediasync.js").SyncKind} SyncKind */

/**
 * @typedef {object} PlayerHooks
 * @property {() => void} paint            the frame (or the play state) changed: repaint everything
 * @property {() => void} playing          playback started: repaint the bar
 * @property {() => void} loaded           the duration is known (`length` frames)
 * @property {(src: string) => void} failed   the video could not be loaded
 */

/** @param {number} x @param {number} lo @param {number} hi */
const clamp = (x, lo, hi) => Math.min(hi, Math.max(lo, x));

export class VideoPlayer {
	/**
	 * @param {HTMLVideoElement} video
	 * @param {(kind: SyncKind, time: number) => void} emit  tells the synced object
	 * @param {PlayerHooks} hooks
	 */
	constructor(video, emit, hooks) {
		this.video = video;
		this.emit = emit;
		this.hooks = hooks;
		this.fps = 24;
		this.duration = NaN;
		this.length = 0;
		this.frame = 1;
		this.probing = false;
		this.raf = 0;
		video.addEventListener("loadedmetadata", () => {
			if (Number.isFinite(video.duration) && video.duration > 0) this.#setDuration(video.duration);
			else if (video.duration === Infinity) {
				this.probing = true; // no duration in the file (MediaRecorder WebM): seek far to make the browser find it
				video.currentTime = 1e101;
			}
		});
		video.addEventListener("durationchange", () => {
			if (!this.probing || !Number.isFinite(video.duration) || video.duration <= 0) return;
			this.probing = false;
			video.currentTime = 0;
			this.#setDuration(video.duration);
		});
		video.addEventListener("error", () => {
			const src = video.getAttribute("src");
			if (src) hooks.failed(src);
		});
		video.addEventListener("play", () => {
			hooks.playing();
			if (!this.raf) this.raf = requestAnimationFrame(() => this.#tick());
		});
		video.addEventListener("pause", () => {
			if (this.ready() && !this.probing) this.frame = this.frameOf(video.currentTime);
			hooks.paint();
		});
	}

	ready() {
		return this.length > 0;
	}

	/** @param {number} t */
	frameOf(t) {
		return clamp(Math.round(t * this.fps), 1, Math.max(1, this.length));
	}

	/** Go to frame f (clamped); `user`: tell a synced object. @param {number} f @param {boolean} [user] */
	goTo(f, user = false) {
		if (!this.ready()) return;
		const video = this.video;
		if (!video.paused) video.pause();
		this.frame = clamp(Math.round(f), 1, this.length);
		video.currentTime = Math.min(this.frame / this.fps, this.duration);
		if (user) this.emit("seek", video.currentTime);
		this.hooks.paint();
	}

	toggle() {
		if (!this.ready()) return;
		const video = this.video;
		if (video.paused) {
			if (this.frame >= this.length) video.currentTime = 0;
			video.play().catch(() => {});
			this.emit("play", video.currentTime);
		} else {
			video.pause();
			this.emit("pause", video.currentTime);
		}
	}

	/** What the synced object did. @param {SyncKind} kind @param {number} time @param {number} rate */
	synced(kind, time, rate) {
		const video = this.video;
		if (kind === "rate") video.playbackRate = rate;
		else if (kind === "play") {
			video.currentTime = time;
			video.play().catch(() => {});
		} else {
			if (kind === "pause") video.pause();
			video.currentTime = time;
			this.frame = this.frameOf(time);
			this.hooks.paint();
		}
	}

	/** A new task: no video, frame 1 at `fps`; the previous video is dropped now (no src: no error event). @param {number} fps */
	reset(fps) {
		this.fps = fps;
		this.duration = NaN;
		this.length = 0;
		this.frame = 1;
		this.probing = false;
		this.video.pause();
		this.video.removeAttribute("src");
		this.video.load();
	}

	#tick() {
		this.raf = 0;
		const f = this.frameOf(this.video.currentTime);
		if (f !== this.frame) {
			this.frame = f;
			this.hooks.paint();
		}
		if (!this.video.paused && !this.video.ended) this.raf = requestAnimationFrame(() => this.#tick());
	}

	/** @param {number} d */
	#setDuration(d) {
		this.duration = d;
		this.length = Math.max(1, Math.ceil(d * this.fps));
		this.frame = clamp(this.frame, 1, this.length);
		this.hooks.loaded();
	}
}
