/* global document, location, window */
// The demo's host-page script: what a course page writes to drive an embedded lab.
// Text from the lab is shown with textContent only, never as HTML.

const frame = document.getElementById('lab-frame');
const log = document.getElementById('message-log');

// The lab is on this page's origin here; on a course page it is wherever the lab is hosted.
const labUrl = new URL('./', location.href);
labUrl.search = new URLSearchParams({
  embed: 'train',
  hide: 'settings,backend',
  // Only this page may drive the iframe, and only this page receives its state (the sentences).
  origins: location.origin,
}).toString();
frame.src = labUrl.href;
const labOrigin = labUrl.origin;

const messages = {
  setState: { type: 'setState', payload: { optimizer: 'sgd', seed: 7 } },
  step: { type: 'step', payload: { steps: 1 } },
  step10: { type: 'step', payload: { steps: 10 } },
  play: { type: 'play', payload: { stepsPerSecond: 5 } },
  pause: { type: 'pause' },
  // Refused and counted by the lab: `steps` must be a whole number from 1 to 1,000.
  bad: { type: 'step', payload: { steps: 'lots' } },
};

for (const button of document.querySelectorAll('[data-message]')) {
  button.addEventListener('click', () => {
    const message = messages[button.dataset.message];
    frame.contentWindow.postMessage(message, labOrigin);
    append(`→ ${JSON.stringify(message)}`);
  });
}

function append(text) {
  const item = document.createElement('li');
  item.textContent = text;
  log.append(item);
  while (log.children.length > 50) log.firstElementChild.remove();
  log.scrollTop = log.scrollHeight;
}

window.addEventListener('message', (event) => {
  // Trust only the lab's origin and the lab's own frame.
  if (event.origin !== labOrigin || event.source !== frame.contentWindow) return;
  const data = event.data;
  if (!data || data.source !== 'bert-embedding-lab') return;
  if (data.type === 'height') {
    frame.style.height = `${Math.max(200, Math.min(5000, Number(data.payload.height) || 0))}px`;
    append(`← height ${data.payload.height}`);
  } else if (data.type === 'state') {
    const s = data.payload;
    append(`← state: step ${s.step}, ${s.optimizer}, seed ${s.seed}, lr ${s.learningRate}`);
  } else if (data.type === 'ready') {
    append(`← ready: ${data.payload.view} view, API version ${data.payload.version}`);
  }
});

const form = document.getElementById('first-form');
const input = document.getElementById('first-sentence');
form.addEventListener('submit', (event) => {
  event.preventDefault();
  document.getElementById('first-lab').setAttribute('sentence-a', input.value);
});
