<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>QObject</name>
    <message numerus="yes">
        <source>%n visual token(s)</source>
        <translation>
            <numerusform>%n visual token</numerusform>
            <numerusform>%n visual tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cosw::AttentionCanvas</name>
    <message>
        <source>Open a checkpoint and an image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attention, scaled to this token&apos;s peak</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::AttentionTokenModel</name>
    <message>
        <source>Token %1 of scale %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token %1: scale %2 (%3×%3 windows), window row %4, column %5, query %6; peak %7; reads %8 of the window&apos;s %9 cells, as if evenly</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::AttentionView</name>
    <message>
        <source>Pick a run in the run list, or open a checkpoint directory; then an image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Directory…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a checkpoint directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open any image file (or drop one on the view)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.webp)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same resolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>window factors, e.g. 1,2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checkpoint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scaled to:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Head:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Query in window:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opacity:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Encoding…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export view…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export token sheet…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export raw maps…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>safetensors (*.safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n token(s))</source>
        <translation>
            <numerusform>%1 (%n token)</numerusform>
            <numerusform>%1 (%n tokens)</numerusform>
        </translation>
    </message>
    <message>
        <source>#%1 [%2] %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run %1 kept no checkpoint at the end of a stage.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This checkpoint, token-scaled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>token-scaled: %1 px, window × %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window factors: whole numbers of at least 1, one for every scale or one per scale (e.g. 2 or 1,2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Question&lt;/b&gt; (%1): %2 &amp;nbsp; &lt;b&gt;Reference answer:&lt;/b&gt; %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;Image:&lt;/b&gt; %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The %1 connector attends to nothing: its %2 come from one feature cell each, so there are no maps to show.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2×%2 windows × %3 queries = %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (last)</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Mean of %n head(s)</source>
        <translation>
            <numerusform>Mean of %n head</numerusform>
            <numerusform>Mean of %n heads</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (stage %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — %1 at %2 px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token %1 of %2: scale %3, window row %4, column %5 of %6×%6, query %7 of %8; layer %9</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, mean of the heads</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, head %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>. Right: token %1 (window %2, dashed: all windows inside the left one)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attention maps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer&apos;s attention per token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask about the image, e.g. is there a bag?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer&apos;s attention on the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language model&apos;s attention while it produced the answer, averaged over its heads and layers, carried to the image through each visual token&apos;s map. Attention weights, not a causal attribution.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (reference: %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1&lt;b&gt;%2&lt;/b&gt;, %3 of its attention on the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>right: </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Answer%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: visual token (scales coarse to fine)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>scale %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>answer&apos;s attention, scaled to its peak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language model&apos;s layer whose attention is shown, or the mean of its layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LM layer:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Mean of %n layer(s)</source>
        <translation>
            <numerusform>Mean of %n layer</numerusform>
            <numerusform>Mean of %n layers</numerusform>
        </translation>
    </message>
    <message>
        <source>; reads %1 of its window&apos;s %2 cells, as if evenly (the scale&apos;s median: %3)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::CompareTableModel</name>
    <message>
        <source>On the Pareto front: no other row is both faster to pre-train and more accurate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best in this column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Second best in this column</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Mean ± standard deviation over %n run(s)</source>
        <translation>
            <numerusform>Mean ± standard deviation over %n run</numerusform>
            <numerusform>Mean ± standard deviation over %n runs</numerusform>
        </translation>
    </message>
    <message>
        <source>name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pre-train tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fine-tune tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pre-train px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fine-tune px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pre-train s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pre-train ×</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fine-tune s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pre-train samples/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fine-tune samples/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>± se</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type prior</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shuffled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>over prior</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cell reading</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cell reading prior</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>questions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pareto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>feature cache</source>
        <extracomment>Which stages read the frozen vision tower&apos;s features from the cache (their times leave the tower out).</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>BLAS</source>
        <extracomment>The BLAS kernel a run&apos;s CPU matrix products ran on.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::CompareView</name>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all keys</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trade-off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token scaling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Config diff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs the run list shows</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs selected in the run list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Merge runs with the same values of these keys into mean ± standard deviation: built-in keys or any config key (stages[3].lr), separated by commas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The accuracy the plots show and the Pareto front is computed on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pre-training time is shown relative to this run (1.00×)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Relative time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log time axis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table as CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table as Markdown…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Markdown table (*.md)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Table as LaTeX…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LaTeX table (*.tex)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Group by:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reference:</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n run</numerusform>
            <numerusform>%n runs</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> in %n group(s)</source>
        <translation>
            <numerusform> in %n group</numerusform>
            <numerusform> in %n groups</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n on the Pareto front</source>
        <translation>
            <numerusform>%n on the Pareto front</numerusform>
            <numerusform>%n on the Pareto front</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(absent)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select two or more runs to compare their configs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) differ between the selected runs.</source>
        <translation>
            <numerusform>%n key differs between the selected runs.</numerusform>
            <numerusform>%n keys differ between the selected runs.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) differ between the compared runs; select rows to narrow it.</source>
        <translation>
            <numerusform>%n key differs between the compared runs; select rows to narrow it.</numerusform>
            <numerusform>%n keys differ between the compared runs; select rows to narrow it.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Every key of %n run(s).</source>
        <translation>
            <numerusform>Every key of %n run.</numerusform>
            <numerusform>Every key of %n runs.</numerusform>
        </translation>
    </message>
    <message>
        <source>The first %1 runs are shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run comparison</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export plots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shown plot (PNG, PDF or SVG)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All plots (PNG, PDF or SVG)…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::LauncherView</name>
    <message>
        <source>Choose a preset…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load YAML…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save YAML…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens per scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visual tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LM sequence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visual tokens plus a sample&apos;s text tokens, within the language model&apos;s maximum sequence length</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Token budget (computed by the engine)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Launch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a preset or load a run config.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Chain-of-Sight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resampler (one global window)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>MLP projector (one token per patch)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connector:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Windows per side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Remove scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scales (coarse to fine)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>default data directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> cells per side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dataset (FMNIST-Grid)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Directory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Grid:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Training images:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>T&amp;est images:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: a run config is a mapping with model and stages</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stage %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready to launch.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1×%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Room for %1 text tokens per sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dataset directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load run config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run configs (*.yaml *.yml *.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save run config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YAML (*.yaml *.yml)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1×%1 windows × %2 queries</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 + text ≤ %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;weep…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Launch this config as a grid of variants and seeds, tagged for the comparison dashboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Vision tower:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lan&amp;guage model:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trained here, from scratch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
imported from %2
%3 parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (not among the imports)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 needs about %2, more than %3&apos;s %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weights %1, gradients %2, optimizer %3, activations %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready to launch, but %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data-parallel processes: each takes its share of every batch and the gradients are summed, so the run trains as one process with the whole batch would. The CPUs are shared out among them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Processes:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimated: the weights (what the stage trains in fp32, the rest at its precision), the gradients and AdamW moments of what it trains, and the activations kept for the backward pass at its batch and the language model&apos;s longest sequence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>text ≤ %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The whole config: every key, stages added or removed. The form follows what you type.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YAML</source>
        <extracomment>The launcher&apos;s page showing the whole run config as editable YAML text.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the YAML page</source>
        <extracomment>Names the launcher&apos;s YAML page in an error about its text, e.g. &quot;the YAML page: line 3: ...&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::LocaleNumber</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::MainWindow</name>
    <message>
        <source>CPU</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (%1 GiB)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CoS Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Devices: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>store: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cos-batch was not found beside the workbench or on PATH: runs cannot be launched (set COS_BATCH to its path)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Launcher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter by name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Launch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Launch the launcher&apos;s config as a new run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop the selected runs after their current step, with a checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Duplicate with changes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open the selected run&apos;s config in the launcher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the run list from the store again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the launcher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the monitor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter the run list by name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Edit the settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close the workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Store: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 runs on %2: stop it there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1: its config cannot be edited: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) still running.</source>
        <translation>
            <numerusform>%n run still running.</numerusform>
            <numerusform>%n runs still running.</numerusform>
        </translation>
    </message>
    <message>
        <source>Runs in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Leave running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Stop them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CPU matrix products: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show what the selected run&apos;s visual tokens attend to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare runs: tokens, time and accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1 running (%n process(es)), %2 waiting</source>
        <translation>
            <numerusform>%1 running (%n process), %2 waiting</numerusform>
            <numerusform>%1 running (%n processes), %2 waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read the user guide, task by task</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>List every keyboard shortcut of the workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About CoS Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The new language applies when the workbench starts again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;CoS Workbench %1&lt;/h3&gt;&lt;p&gt;A research workbench for Chain-of-Sight: pre-train a multimodal model with few visual tokens, fine-tune it with many, and compare tokens, time and accuracy.&lt;/p&gt;&lt;p&gt;Qt %2 · LibTorch %3&lt;br&gt;CPU matrix products: %4&lt;br&gt;Devices: %5&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About CoS Workbench</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue the selected interrupted or failed runs from their last checkpoint, or start queued runs nothing here waits for</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) waiting in the queue.</source>
        <translation>
            <numerusform>%n run waiting in the queue.</numerusform>
            <numerusform>%n runs waiting in the queue.</numerusform>
        </translation>
    </message>
    <message>
        <source>Runs left running keep going and appear again in the run list when the workbench starts; waiting runs stay queued in the store and wait again then. Stopped runs write a checkpoint and can be resumed; stopped waiting runs are marked interrupted and start from the beginning when resumed.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::MonitorView</name>
    <message>
        <source>Step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wall-clock time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show all points again after zooming or panning (or double-click a chart)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the four charts as PNG, PDF or SVG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one or more runs in the run list to plot them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;X axis:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples per second</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluation accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>time since the run began (h:m:s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>step (stages end to end)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Moving average of the loss and samples/s curves, each stage on its own; the points as logged stay drawn faintly behind (0: points only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Log loss axis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A logarithmic loss axis, so the late, small changes are not flattened by the first steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Smoothing:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::PerTypePlot</name>
    <message>
        <source>accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type prior</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shuffled images</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::PlotExport</name>
    <message>
        <source>PNG image (*.png)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SVG drawing (*.svg)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::RunJob</name>
    <message>
        <source>%1: could not start %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: started (pid %2) on %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: removed from the queue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: stopping after the current step (a checkpoint is written)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recording into %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>generating images %1/%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[%1] step %2/%3, loss %4, %5 samples/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stage %1 %2: %3 visual tokens at %4 px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stage %1 done in %2 s, final loss %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>[%1] eval accuracy %2 on %3 samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stage %1 %2: the language model alone, no image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stage %1 %2: the vision tower alone at %3 px</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: not queued, the run was not recorded in the store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>queued in %1, waiting for %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::RunQueue</name>
    <message>
        <source>cannot create %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write the config: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (resumed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: queued for %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: following it (pid %2), it was running already</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed from the workbench&apos;s queue before it started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1: marked interrupted in the store; resume starts it from the beginning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>run %1 stays queued in the store: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: waiting again, queued by an earlier session</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::RunTableModel</name>
    <message>
        <source>queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Visual tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>evaluating %1/%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2/%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <extracomment>A run&apos;s status, then where it is: &quot;running · pretrain 120/450&quot;.</extracomment>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Evaluating stage %1 (%2 of %3): %4 of %5 answers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stage %1 (%2 of %3): step %4 of %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>, about %1 left in the stage</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::ScalesTableModel</name>
    <message>
        <source>Windows per side</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Queries per window</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>each stage&apos;s own device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LibTorch&apos;s choice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Experiment database:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Experiment database</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite *.db);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Data directory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Threads per run:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Concurrent &amp;runs per device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The system&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Default de&amp;vice:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A new language applies when the workbench starts again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What it does</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::StageEditor</name>
    <message>
        <source>e.g. 1e-3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vision tower</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto (bf16 where it is faster)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fp32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bf16 (autocast: CUDA, or a CPU with bf16 products)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale tokens at the start of this stage</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1, or one factor per scale: 1, 2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window scaling: each scale&apos;s windows per side are multiplied by its factor. One number applies to every scale.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resolution factor:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Window factors:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trains:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::SweepDialog</name>
    <message>
        <source>Sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>One key per line with its values, e.g.
stages[4].lr=1e-3,3e-4
stages[4].scaling.window=[1,2],[2,2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>once, as configured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Repeat every variant with this many seeds; the dashboard merges them into mean ± sd</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sweep&apos;s tag: starting the same sweep again continues it, skipping finished variants</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Variant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start sweep</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Vary:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>S&amp;eeds:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot write the config for the preview: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring this machine&apos;s speed for the estimates…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cos-batch stopped without a plan (exit %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> seed %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>?</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) to start or resume</source>
        <translation>
            <numerusform>%n run to start or resume</numerusform>
            <numerusform>%n runs to start or resume</numerusform>
        </translation>
    </message>
    <message>
        <source>about %1 on this machine (cached stages take less)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::TokenScalingPlot</name>
    <message>
        <source>fine-tuning visual tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, pre-trained with %2 tokens</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::TradeoffPlot</name>
    <message>
        <source>–</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 → %2 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n run</numerusform>
            <numerusform>%n runs</numerusform>
        </translation>
    </message>
    <message>
        <source>tokens %1 → %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pre-training %1× the reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pre-training %1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on the Pareto front</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type prior %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pre-training time (× reference run %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pre-training time (s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(sd)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(se)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>cosw::UserGuideDialog</name>
    <message>
        <source>CoS Workbench user guide</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The user guide (USER-GUIDE.md) is not installed with this program.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Research workbench for Chain-of-Sight multimodal pre-training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Experiment database (default: the settings&apos;).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the window as a PNG and exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--run &apos;%1&apos;: expected a run id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run to select in the run list (repeat to overlay runs).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image the attention view encodes (default: the run&apos;s first evaluation image).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Question the attention view asks about the image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>View to show: launcher, monitor, attention or compare.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--view &apos;%1&apos;: expected launcher, monitor, attention or compare</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language of the window: en, de or zh_CN (default: the settings&apos;, else the system&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
