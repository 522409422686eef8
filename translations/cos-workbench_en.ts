<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
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
        <source>Queries per window</source>
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
        <source>fp32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bf16 (autocast, CUDA only)</source>
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
        <source>Continue the selected interrupted or failed runs from their last checkpoint</source>
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
    <message>
        <source>%1 running, %2 waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) still running.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n queued run(s) will not start.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Runs in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Runs left running keep going and appear again in the run list when the workbench starts. Stopped runs write a checkpoint and can be resumed.</source>
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
    <message>
        <source>Export charts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not write %1.</source>
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
        <source>Default &amp;device:</source>
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
        <source>View to show: launcher or monitor.</source>
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
        <source>--view &apos;%1&apos;: expected launcher or monitor</source>
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
</context>
</TS>
