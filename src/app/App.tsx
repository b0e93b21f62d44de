import { useEffect, useState, type KeyboardEvent } from 'react';
import { EmbedButton } from '../embed/EmbedButton';
import { useLab } from '../store/context';
import { InstallHint } from './InstallHint';
import { LearnedView, LessonView, SumView, TrainPanel, ViewSuspense, VocabView } from './lazyViews';
import { CopyLink } from '../components/share/CopyLink';
import { ShareBar } from './ShareBar';
import { PackPanel } from './PackPanel';
import { VIEWS } from './views';
import { FIRST_CHAPTER } from '../store/lessonSlice';

/** Tabs with the WAI-ARIA tab pattern: one Tab stop, arrow keys move between tabs. */
function ViewTabs() {
  const view = useLab((s) => s.view);
  const setView = useLab((s) => s.setView);
  // On a narrow screen the tabs scroll sideways: keep the selected one in sight (a link or the
  // "New here?" button may select the last).
  // Only the tab list scrolls, never the page.
  useEffect(() => {
    const tab = document.getElementById(`tab-${view}`);
    const list = tab?.parentElement;
    if (!tab || !list) return;
    const left = tab.offsetLeft - list.offsetLeft;
    if (left < list.scrollLeft || left + tab.offsetWidth > list.scrollLeft + list.clientWidth)
      list.scrollLeft = left + tab.offsetWidth - list.clientWidth;
  }, [view]);
  const onKeyDown = (event: KeyboardEvent) => {
    const index = VIEWS.findIndex((v) => v.id === view);
    const next = event.key === 'ArrowRight' ? index + 1 : event.key === 'ArrowLeft' ? index - 1 : null;
    if (next === null) return;
    const target = VIEWS[(next + VIEWS.length) % VIEWS.length]!;
    setView(target.id);
    document.getElementById(`tab-${target.id}`)?.focus();
  };
  return (
    <nav className="tabs" role="tablist" aria-label="Views" onKeyDown={onKeyDown}>
      {VIEWS.map((v) => (
        <button
          key={v.id}
          id={`tab-${v.id}`}
          type="button"
          role="tab"
          data-testid={`nav.${v.id}`}
          aria-selected={view === v.id}
          aria-controls={`panel-${v.id}`}
          tabIndex={view === v.id ? 0 : -1}
          onClick={() => setView(v.id)}
        >
          {v.label}
        </button>
      ))}
    </nav>
  );
}

/** The newcomer's way in: the guided lesson's first chapter, from the header of every view. */
function LessonInvite() {
  const onLesson = useLab((s) => s.view === 'lesson');
  const setView = useLab((s) => s.setView);
  const setChapter = useLab((s) => s.setLessonChapter);
  if (onLesson) return null;
  return (
    <p className="lesson-invite">
      <strong>New here?</strong>{' '}
      <button
        type="button"
        className="link-button"
        data-testid="lesson.invite"
        onClick={() => {
          setChapter(FIRST_CHAPTER);
          setView('lesson');
          document.getElementById('tab-lesson')?.focus();
        }}
      >
        Start the guided lesson: how BERT&rsquo;s token embeddings are created
      </button>
    </p>
  );
}

export function App() {
  const view = useLab((s) => s.view);
  // The Vocabulary view mounts on first visit (it starts a Worker and loads the corpus), then stays
  // mounted while hidden, so switching tabs never loses what the learner typed or trained.
  const [vocabVisited, setVocabVisited] = useState(view === 'vocab');
  if (view === 'vocab' && !vocabVisited) setVocabVisited(true);
  // The Embedding sum view starts the model if nobody has, so it too waits for a first visit.
  const [sumVisited, setSumVisited] = useState(view === 'sum');
  if (view === 'sum' && !sumVisited) setSumVisited(true);
  // The Training view loads its code on a first visit or when training starts (from a link, a
  // resumed session or window.bertLab), then stays mounted, hidden, like the two above.
  const trainingStarted = useLab((s) => s.training.status !== 'idle');
  const [trainLoaded, setTrainLoaded] = useState(view === 'train');
  if ((view === 'train' || trainingStarted) && !trainLoaded) setTrainLoaded(true);
  // The Learned rows view starts the model too, and asks for its report only while shown.
  const [learnedVisited, setLearnedVisited] = useState(view === 'learned');
  if (view === 'learned' && !learnedVisited) setLearnedVisited(true);
  const [lessonVisited, setLessonVisited] = useState(view === 'lesson');
  if (view === 'lesson' && !lessonVisited) setLessonVisited(true);
  return (
    <div className="app">
      <header className="app-header">
        <div className="app-title-row">
          <h1>BERT Embedding Lab</h1>
          <div className="header-actions">
            <CopyLink />
            <EmbedButton />
          </div>
        </div>
        <p className="tagline">
          How BERT&rsquo;s input embeddings are made and learned: text becomes word pieces and ids, ids pick
          rows of three tables that are summed and normalised, and training moves those rows. Everything runs
          in your browser; your text never leaves it.
        </p>
        {/* One line where there is room: the first screens below the header are counted in pixels. */}
        <div className="header-notes">
          <LessonInvite />
          <InstallHint />
        </div>
        <ShareBar />
        <ViewTabs />
      </header>
      <main>
        <div id="panel-pack" role="tabpanel" aria-labelledby="tab-pack" hidden={view !== 'pack'}>
          <PackPanel />
        </div>
        <div id="panel-vocab" role="tabpanel" aria-labelledby="tab-vocab" hidden={view !== 'vocab'}>
          <ViewSuspense>{vocabVisited && <VocabView />}</ViewSuspense>
        </div>
        <div id="panel-train" role="tabpanel" aria-labelledby="tab-train" hidden={view !== 'train'}>
          <ViewSuspense>{trainLoaded && <TrainPanel />}</ViewSuspense>
        </div>
        <div id="panel-sum" role="tabpanel" aria-labelledby="tab-sum" hidden={view !== 'sum'}>
          <ViewSuspense>{sumVisited && <SumView active={view === 'sum'} />}</ViewSuspense>
        </div>
        <div id="panel-learned" role="tabpanel" aria-labelledby="tab-learned" hidden={view !== 'learned'}>
          <ViewSuspense>{learnedVisited && <LearnedView active={view === 'learned'} />}</ViewSuspense>
        </div>
        <div id="panel-lesson" role="tabpanel" aria-labelledby="tab-lesson" hidden={view !== 'lesson'}>
          <ViewSuspense>{lessonVisited && <LessonView active={view === 'lesson'} />}</ViewSuspense>
        </div>
      </main>
      <footer className="app-footer muted">
        Tokenizer checked id for id against Hugging Face&rsquo;s reference for bert-base-uncased (30,522 word
        pieces).
      </footer>
    </div>
  );
}
