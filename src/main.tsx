import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createBertLab } from './app/bertLab';
import './app/styles.css';
import { createLabStore } from './store/labStore';
import { LabStoreProvider } from './store/context';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
const store = createLabStore();
window.bertLab = createBertLab(store);
createRoot(root).render(
  <StrictMode>
    <LabStoreProvider store={store}>
      <App />
    </LabStoreProvider>
  </StrictMode>,
);
