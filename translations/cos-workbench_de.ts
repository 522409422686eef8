<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QObject</name>
    <message numerus="yes">
        <source>%n visual token(s)</source>
        <translation>
            <numerusform>%n visuelles Token</numerusform>
            <numerusform>%n visuelle Tokens</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>cosw::AttentionCanvas</name>
    <message>
        <source>Open a checkpoint and an image.</source>
        <translation>Öffnen Sie einen Checkpoint und ein Bild.</translation>
    </message>
    <message>
        <source>attention, scaled to this token&apos;s peak</source>
        <translation>Attention, skaliert auf das Maximum dieses Tokens</translation>
    </message>
</context>
<context>
    <name>cosw::AttentionTokenModel</name>
    <message>
        <source>Token %1 of scale %2</source>
        <translation>Token %1 der Skala %2</translation>
    </message>
    <message>
        <source>Token %1: scale %2 (%3×%3 windows), window row %4, column %5, query %6; peak %7; reads %8 of the window&apos;s %9 cells, as if evenly</source>
        <translation>Token %1: Skala %2 (%3×%3 Fenster), Fensterzeile %4, Spalte %5, Query %6; Maximum %7; liest %8 der %9 Zellen des Fensters, als gleichmäßig verteilt</translation>
    </message>
</context>
<context>
    <name>cosw::AttentionView</name>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Answer&apos;s attention per token</source>
        <translation>Attention der Antwort pro Token</translation>
    </message>
    <message>
        <source>Pick a run in the run list, or open a checkpoint directory; then an image.</source>
        <translation>Wählen Sie einen Lauf in der Laufliste oder öffnen Sie ein Checkpoint-Verzeichnis; danach ein Bild.</translation>
    </message>
    <message>
        <source>Directory…</source>
        <translation>Verzeichnis…</translation>
    </message>
    <message>
        <source>Open a checkpoint directory</source>
        <translation>Checkpoint-Verzeichnis öffnen</translation>
    </message>
    <message>
        <source>Open a checkpoint</source>
        <translation>Checkpoint öffnen</translation>
    </message>
    <message>
        <source>Image…</source>
        <translation>Bild…</translation>
    </message>
    <message>
        <source>Open any image file (or drop one on the view)</source>
        <translation>Beliebige Bilddatei öffnen (oder eine auf die Ansicht ziehen)</translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation>Bild öffnen</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.webp)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.bmp *.webp)</translation>
    </message>
    <message>
        <source>same resolution</source>
        <translation>gleiche Auflösung</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>window factors, e.g. 1,2</source>
        <translation>Fensterfaktoren, z. B. 1,2</translation>
    </message>
    <message>
        <source>Checkpoint:</source>
        <translation>Checkpoint:</translation>
    </message>
    <message>
        <source>Image:</source>
        <translation>Bild:</translation>
    </message>
    <message>
        <source>Compare with:</source>
        <translation>Vergleichen mit:</translation>
    </message>
    <message>
        <source>Scaled to:</source>
        <translation>Skaliert auf:</translation>
    </message>
    <message>
        <source>Ask about the image, e.g. is there a bag?</source>
        <translation>Frage zum Bild (auf Englisch), z. B. is there a bag?</translation>
    </message>
    <message>
        <source>Ask</source>
        <translation>Fragen</translation>
    </message>
    <message>
        <source>The language model&apos;s layer whose attention is shown, or the mean of its layers</source>
        <translation>Die Schicht des Sprachmodells, deren Attention angezeigt wird, oder das Mittel über seine Schichten</translation>
    </message>
    <message>
        <source>Answer&apos;s attention on the image</source>
        <translation>Attention der Antwort auf das Bild</translation>
    </message>
    <message>
        <source>The language model&apos;s attention while it produced the answer, averaged over its heads and layers, carried to the image through each visual token&apos;s map. Attention weights, not a causal attribution.</source>
        <translation>Die Attention des Sprachmodells beim Erzeugen der Antwort, gemittelt über seine Heads und Schichten und über die Map jedes visuellen Tokens auf das Bild übertragen. Attention-Gewichte, keine kausale Attribution.</translation>
    </message>
    <message>
        <source>Question:</source>
        <translation>Frage:</translation>
    </message>
    <message>
        <source>LM layer:</source>
        <translation>LM-Schicht:</translation>
    </message>
    <message>
        <source>Scale:</source>
        <translation>Skala:</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>Schicht:</translation>
    </message>
    <message>
        <source>Head:</source>
        <translation>Head:</translation>
    </message>
    <message>
        <source>Query in window:</source>
        <translation>Query im Fenster:</translation>
    </message>
    <message>
        <source>Opacity:</source>
        <translation>Deckkraft:</translation>
    </message>
    <message>
        <source>Encoding…</source>
        <translation>Wird kodiert…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>Export view…</source>
        <translation>Ansicht exportieren…</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG-Bild (*.png);;SVG-Zeichnung (*.svg)</translation>
    </message>
    <message>
        <source>Export token sheet…</source>
        <translation>Token-Übersicht exportieren…</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>Export raw maps…</source>
        <translation>Roh-Maps exportieren…</translation>
    </message>
    <message>
        <source>safetensors (*.safetensors)</source>
        <translation>safetensors (*.safetensors)</translation>
    </message>
    <message numerus="yes">
        <source>%1 (%n token(s))</source>
        <translation>
            <numerusform>%1 (%n Token)</numerusform>
            <numerusform>%1 (%n Tokens)</numerusform>
        </translation>
    </message>
    <message>
        <source>#%1 [%2] %3</source>
        <translation>#%1 [%2] %3</translation>
    </message>
    <message>
        <source>Run %1 kept no checkpoint at the end of a stage.</source>
        <translation>Lauf %1 hat an keinem Stufenende einen Checkpoint behalten.</translation>
    </message>
    <message>
        <source>Nothing</source>
        <translation>Nichts</translation>
    </message>
    <message>
        <source>This checkpoint, token-scaled</source>
        <translation>Dieser Checkpoint, token-skaliert</translation>
    </message>
    <message>
        <source>token-scaled: %1 px, window × %2</source>
        <translation>token-skaliert: %1 px, Fenster × %2</translation>
    </message>
    <message>
        <source>same</source>
        <translation>gleiche</translation>
    </message>
    <message>
        <source>Window factors: whole numbers of at least 1, one for every scale or one per scale (e.g. 2 or 1,2).</source>
        <translation>Fensterfaktoren: ganze Zahlen ab 1, eine für alle Skalen oder eine pro Skala (z. B. 2 oder 1,2).</translation>
    </message>
    <message>
        <source>&lt;b&gt;Question&lt;/b&gt; (%1): %2 &amp;nbsp; &lt;b&gt;Reference answer:&lt;/b&gt; %3</source>
        <translation>&lt;b&gt;Frage&lt;/b&gt; (%1): %2 &amp;nbsp; &lt;b&gt;Referenzantwort:&lt;/b&gt; %3</translation>
    </message>
    <message>
        <source>&lt;b&gt;Image:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;Bild:&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>Asking…</source>
        <translation>Frage wird gestellt…</translation>
    </message>
    <message numerus="yes">
        <source>Mean of %n layer(s)</source>
        <translation>
            <numerusform>Mittel über %n Schicht</numerusform>
            <numerusform>Mittel über %n Schichten</numerusform>
        </translation>
    </message>
    <message>
        <source> (reference: %1)</source>
        <translation> (Referenz: %1)</translation>
    </message>
    <message>
        <source>%1&lt;b&gt;%2&lt;/b&gt;, %3 of its attention on the image</source>
        <translation>%1&lt;b&gt;%2&lt;/b&gt;, %3 ihrer Attention auf dem Bild</translation>
    </message>
    <message>
        <source>left: </source>
        <translation>links: </translation>
    </message>
    <message>
        <source>right: </source>
        <translation>rechts: </translation>
    </message>
    <message>
        <source>Answer%1: %2</source>
        <translation>Antwort%1: %2</translation>
    </message>
    <message>
        <source>%1: visual token (scales coarse to fine)</source>
        <translation>%1: visuelles Token (Skalen von grob bis fein)</translation>
    </message>
    <message>
        <source>left</source>
        <translation>links</translation>
    </message>
    <message>
        <source>right</source>
        <translation>rechts</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>Attention</translation>
    </message>
    <message>
        <source>scale %1</source>
        <translation>Skala %1</translation>
    </message>
    <message>
        <source>answer&apos;s attention, scaled to its peak</source>
        <translation>Attention der Antwort, skaliert auf ihr Maximum</translation>
    </message>
    <message>
        <source>The %1 connector attends to nothing: its %2 come from one feature cell each, so there are no maps to show.</source>
        <translation>Der Connector %1 nutzt keine Attention: Seine %2 stammen jeweils aus einer einzigen Feature-Zelle, daher gibt es keine Maps anzuzeigen.</translation>
    </message>
    <message>
        <source>%1: %2×%2 windows × %3 queries = %4</source>
        <translation>%1: %2×%2 Fenster × %3 Queries = %4</translation>
    </message>
    <message>
        <source>%1 (last)</source>
        <translation>%1 (letzte)</translation>
    </message>
    <message numerus="yes">
        <source>Mean of %n head(s)</source>
        <translation>
            <numerusform>Mittel über %n Head</numerusform>
            <numerusform>Mittel über %n Heads</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (stage %2)</source>
        <translation>%1 (Stufe %2)</translation>
    </message>
    <message>
        <source> — %1 at %2 px</source>
        <translation> — %1 bei %2 px</translation>
    </message>
    <message>
        <source>Token %1 of %2: scale %3, window row %4, column %5 of %6×%6, query %7 of %8; layer %9</source>
        <translation>Token %1 von %2: Skala %3, Fensterzeile %4, Spalte %5 von %6×%6, Query %7 von %8; Schicht %9</translation>
    </message>
    <message>
        <source>, mean of the heads</source>
        <translation>, Mittel über die Heads</translation>
    </message>
    <message>
        <source>, head %1</source>
        <translation>, Head %1</translation>
    </message>
    <message>
        <source>. Right: token %1 (window %2, dashed: all windows inside the left one)</source>
        <translation>. Rechts: Token %1 (Fenster %2, gestrichelt: alle Fenster innerhalb des linken)</translation>
    </message>
    <message>
        <source>Attention maps</source>
        <translation>Attention-Maps</translation>
    </message>
    <message>
        <source>; reads %1 of its window&apos;s %2 cells, as if evenly (the scale&apos;s median: %3)</source>
        <translation>; liest %1 der %2 Zellen seines Fensters, als gleichmäßig verteilt (Median der Skala: %3)</translation>
    </message>
</context>
<context>
    <name>cosw::CompareTableModel</name>
    <message>
        <source>On the Pareto front: no other row is both faster to pre-train and more accurate</source>
        <translation>Auf der Pareto-Front: Keine andere Zeile ist zugleich schneller im Pre-Training und genauer</translation>
    </message>
    <message>
        <source>Best in this column</source>
        <translation>Bester Wert dieser Spalte</translation>
    </message>
    <message>
        <source>Second best in this column</source>
        <translation>Zweitbester Wert dieser Spalte</translation>
    </message>
    <message numerus="yes">
        <source>Mean ± standard deviation over %n run(s)</source>
        <translation>
            <numerusform>Mittelwert ± Standardabweichung über %n Lauf</numerusform>
            <numerusform>Mittelwert ± Standardabweichung über %n Läufe</numerusform>
        </translation>
    </message>
    <message>
        <source>name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>connector</source>
        <translation>Connector</translation>
    </message>
    <message>
        <source>sweep</source>
        <translation>Sweep</translation>
    </message>
    <message>
        <source>tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>pre-train tokens</source>
        <translation>Pre-Training-Tokens</translation>
    </message>
    <message>
        <source>fine-tune tokens</source>
        <translation>Fine-Tuning-Tokens</translation>
    </message>
    <message>
        <source>pre-train px</source>
        <translation>Pre-Training px</translation>
    </message>
    <message>
        <source>fine-tune px</source>
        <translation>Fine-Tuning px</translation>
    </message>
    <message>
        <source>pre-train s</source>
        <translation>Pre-Training s</translation>
    </message>
    <message>
        <source>pre-train ×</source>
        <translation>Pre-Training ×</translation>
    </message>
    <message>
        <source>fine-tune s</source>
        <translation>Fine-Tuning s</translation>
    </message>
    <message>
        <source>pre-train samples/s</source>
        <translation>Pre-Training Samples/s</translation>
    </message>
    <message>
        <source>fine-tune samples/s</source>
        <translation>Fine-Tuning Samples/s</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>± se</source>
        <translation>± SE</translation>
    </message>
    <message>
        <source>type prior</source>
        <translation>Typ-Prior</translation>
    </message>
    <message>
        <source>shuffled</source>
        <translation>vertauscht</translation>
    </message>
    <message>
        <source>over prior</source>
        <translation>über Prior</translation>
    </message>
    <message>
        <source>cell reading</source>
        <translation>Zellerkennung</translation>
    </message>
    <message>
        <source>cell reading prior</source>
        <translation>Zellerkennung Prior</translation>
    </message>
    <message>
        <source>questions</source>
        <translation>Fragen</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Pareto</source>
        <translation>Pareto</translation>
    </message>
    <message>
        <source>runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>feature cache</source>
        <extracomment>Which stages read the frozen vision tower&apos;s features from the cache (their times leave the tower out).</extracomment>
        <translation>Feature-Cache</translation>
    </message>
    <message>
        <source>BLAS</source>
        <extracomment>The BLAS kernel a run&apos;s CPU matrix products ran on.</extracomment>
        <translation>BLAS</translation>
    </message>
</context>
<context>
    <name>cosw::CompareView</name>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Show all keys</source>
        <translation>Alle Schlüssel anzeigen</translation>
    </message>
    <message>
        <source>Trade-off</source>
        <translation>Trade-off</translation>
    </message>
    <message>
        <source>Token scaling</source>
        <translation>Token-Skalierung</translation>
    </message>
    <message>
        <source>Per type</source>
        <translation>Pro Typ</translation>
    </message>
    <message>
        <source>Config diff</source>
        <translation>Konfigurations-Diff</translation>
    </message>
    <message>
        <source>Runs the run list shows</source>
        <translation>In der Laufliste angezeigte Läufe</translation>
    </message>
    <message>
        <source>Runs selected in the run list</source>
        <translation>In der Laufliste ausgewählte Läufe</translation>
    </message>
    <message>
        <source>Merge runs with the same values of these keys into mean ± standard deviation: built-in keys or any config key (stages[3].lr), separated by commas</source>
        <translation>Läufe mit gleichen Werten dieser Schlüssel zu Mittelwert ± Standardabweichung zusammenfassen: eingebaute Schlüssel oder beliebige Konfigurationsschlüssel (stages[3].lr), durch Kommas getrennt</translation>
    </message>
    <message>
        <source>The accuracy the plots show and the Pareto front is computed on</source>
        <translation>Die Genauigkeit, die die Diagramme zeigen und auf der die Pareto-Front berechnet wird</translation>
    </message>
    <message>
        <source>Pre-training time is shown relative to this run (1.00×)</source>
        <translation>Die Pre-Training-Zeit wird relativ zu diesem Lauf angezeigt (1,00×)</translation>
    </message>
    <message>
        <source>Relative time</source>
        <translation>Relative Zeit</translation>
    </message>
    <message>
        <source>Log time axis</source>
        <translation>Logarithmische Zeitachse</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>Spalten</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Table as CSV…</source>
        <translation>Tabelle als CSV…</translation>
    </message>
    <message>
        <source>CSV table (*.csv)</source>
        <translation>CSV-Tabelle (*.csv)</translation>
    </message>
    <message>
        <source>Table as Markdown…</source>
        <translation>Tabelle als Markdown…</translation>
    </message>
    <message>
        <source>Markdown table (*.md)</source>
        <translation>Markdown-Tabelle (*.md)</translation>
    </message>
    <message>
        <source>Table as LaTeX…</source>
        <translation>Tabelle als LaTeX…</translation>
    </message>
    <message>
        <source>LaTeX table (*.tex)</source>
        <translation>LaTeX-Tabelle (*.tex)</translation>
    </message>
    <message>
        <source>Shown plot (PNG, PDF or SVG)…</source>
        <translation>Angezeigtes Diagramm (PNG, PDF oder SVG)…</translation>
    </message>
    <message>
        <source>Export plot</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>All plots (PNG, PDF or SVG)…</source>
        <translation>Alle Diagramme (PNG, PDF oder SVG)…</translation>
    </message>
    <message>
        <source>Compare:</source>
        <translation>Vergleichen:</translation>
    </message>
    <message>
        <source>Group by:</source>
        <translation>Gruppieren nach:</translation>
    </message>
    <message>
        <source>Accuracy:</source>
        <translation>Genauigkeit:</translation>
    </message>
    <message>
        <source>Reference:</source>
        <translation>Referenz:</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n Lauf</numerusform>
            <numerusform>%n Läufe</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> in %n group(s)</source>
        <translation>
            <numerusform> in %n Gruppe</numerusform>
            <numerusform> in %n Gruppen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n on the Pareto front</source>
        <translation>
            <numerusform>%n auf der Pareto-Front</numerusform>
            <numerusform>%n auf der Pareto-Front</numerusform>
        </translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Default columns</source>
        <translation>Standardspalten</translation>
    </message>
    <message>
        <source>(absent)</source>
        <translation>(fehlt)</translation>
    </message>
    <message>
        <source>Select two or more runs to compare their configs.</source>
        <translation>Wählen Sie zwei oder mehr Läufe aus, um ihre Konfigurationen zu vergleichen.</translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) differ between the selected runs.</source>
        <translation>
            <numerusform>%n Schlüssel unterscheidet sich zwischen den ausgewählten Läufen.</numerusform>
            <numerusform>%n Schlüssel unterscheiden sich zwischen den ausgewählten Läufen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n key(s) differ between the compared runs; select rows to narrow it.</source>
        <translation>
            <numerusform>%n Schlüssel unterscheidet sich zwischen den verglichenen Läufen; wählen Sie Zeilen aus, um die Auswahl einzugrenzen.</numerusform>
            <numerusform>%n Schlüssel unterscheiden sich zwischen den verglichenen Läufen; wählen Sie Zeilen aus, um die Auswahl einzugrenzen.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Every key of %n run(s).</source>
        <translation>
            <numerusform>Alle Schlüssel von %n Lauf.</numerusform>
            <numerusform>Alle Schlüssel von %n Läufen.</numerusform>
        </translation>
    </message>
    <message>
        <source>The first %1 runs are shown.</source>
        <translation>Die ersten %1 Läufe werden angezeigt.</translation>
    </message>
    <message>
        <source>Run comparison</source>
        <translation>Laufvergleich</translation>
    </message>
    <message>
        <source>Export table</source>
        <translation>Tabelle exportieren</translation>
    </message>
    <message>
        <source>Export plots</source>
        <translation>Diagramme exportieren</translation>
    </message>
</context>
<context>
    <name>cosw::LauncherView</name>
    <message>
        <source>Choose a preset…</source>
        <translation>Vorlage wählen…</translation>
    </message>
    <message>
        <source>&amp;Load YAML…</source>
        <translation>&amp;YAML laden…</translation>
    </message>
    <message>
        <source>&amp;Save YAML…</source>
        <translation>YAML speic&amp;hern…</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>Vorlage:</translation>
    </message>
    <message>
        <source>Stage</source>
        <translation>Stufe</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Auflösung</translation>
    </message>
    <message>
        <source>Grid</source>
        <translation>Raster</translation>
    </message>
    <message>
        <source>Windows per side</source>
        <translation>Fenster pro Seite</translation>
    </message>
    <message>
        <source>Tokens per scale</source>
        <translation>Tokens pro Skala</translation>
    </message>
    <message>
        <source>Visual tokens</source>
        <translation>Visuelle Tokens</translation>
    </message>
    <message>
        <source>Memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>LM sequence</source>
        <translation>LM-Sequenz</translation>
    </message>
    <message>
        <source>Visual tokens plus a sample&apos;s text tokens, within the language model&apos;s maximum sequence length</source>
        <translation>Visuelle Tokens plus die Text-Tokens eines Samples, innerhalb der maximalen Sequenzlänge des Sprachmodells</translation>
    </message>
    <message>
        <source>Estimated: the weights (what the stage trains in fp32, the rest at its precision), the gradients and AdamW moments of what it trains, and the activations kept for the backward pass at its batch and the language model&apos;s longest sequence</source>
        <translation>Geschätzt: die Gewichte (was die Stufe trainiert in fp32, der Rest in ihrer Präzision), die Gradienten und AdamW-Momente dessen, was sie trainiert, sowie die für den Backward-Pass vorgehaltenen Aktivierungen bei ihrer Batchgröße und der längsten Sequenz des Sprachmodells</translation>
    </message>
    <message>
        <source>Token budget (computed by the engine)</source>
        <translation>Token-Budget (von der Engine berechnet)</translation>
    </message>
    <message>
        <source>Stages</source>
        <translation>Stufen</translation>
    </message>
    <message>
        <source>&amp;Launch</source>
        <translation>Sta&amp;rten</translation>
    </message>
    <message>
        <source>S&amp;weep…</source>
        <translation>S&amp;weep…</translation>
    </message>
    <message>
        <source>Launch this config as a grid of variants and seeds, tagged for the comparison dashboard</source>
        <translation>Diese Konfiguration als Raster aus Varianten und Seeds starten, mit Tag für das Vergleichs-Dashboard</translation>
    </message>
    <message>
        <source>Data-parallel processes: each takes its share of every batch and the gradients are summed, so the run trains as one process with the whole batch would. The CPUs are shared out among them.</source>
        <translation>Datenparallele Prozesse: Jeder übernimmt seinen Anteil an jedem Batch, und die Gradienten werden summiert, sodass der Lauf so trainiert wie ein einzelner Prozess mit dem ganzen Batch. Die CPUs werden unter ihnen aufgeteilt.</translation>
    </message>
    <message>
        <source>&amp;Processes:</source>
        <translation>&amp;Prozesse:</translation>
    </message>
    <message>
        <source>Choose a preset or load a run config.</source>
        <translation>Wählen Sie eine Vorlage oder laden Sie eine Laufkonfiguration.</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(unbenannt)</translation>
    </message>
    <message>
        <source>Chain-of-Sight</source>
        <translation>Chain-of-Sight</translation>
    </message>
    <message>
        <source>Resampler (one global window)</source>
        <translation>Resampler (ein globales Fenster)</translation>
    </message>
    <message>
        <source>MLP projector (one token per patch)</source>
        <translation>MLP-Projektor (ein Token pro Patch)</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Lauf</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Connector:</source>
        <translation>&amp;Connector:</translation>
    </message>
    <message>
        <source>&amp;Vision tower:</source>
        <translation>V&amp;ision Tower:</translation>
    </message>
    <message>
        <source>Lan&amp;guage model:</source>
        <translation>Sprachm&amp;odell:</translation>
    </message>
    <message>
        <source>Trained here, from scratch</source>
        <translation>Hier von Grund auf trainiert</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1
imported from %2
%3 parameters</source>
        <translation>%1
importiert aus %2
%3 Parameter</translation>
    </message>
    <message>
        <source>%1 (not among the imports)</source>
        <translation>%1 (nicht unter den Importen)</translation>
    </message>
    <message>
        <source>&amp;Add scale</source>
        <translation>Skala hin&amp;zufügen</translation>
    </message>
    <message>
        <source>&amp;Remove scale</source>
        <translation>Skala ent&amp;fernen</translation>
    </message>
    <message>
        <source>Scales (coarse to fine)</source>
        <translation>Skalen (von grob bis fein)</translation>
    </message>
    <message>
        <source>default data directory</source>
        <translation>Standard-Datenverzeichnis</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>D&amp;urchsuchen…</translation>
    </message>
    <message>
        <source> cells per side</source>
        <translation> Zellen pro Seite</translation>
    </message>
    <message>
        <source>Dataset (FMNIST-Grid)</source>
        <translation>Datensatz (FMNIST-Grid)</translation>
    </message>
    <message>
        <source>Directory:</source>
        <translation>Verzeichnis:</translation>
    </message>
    <message>
        <source>&amp;Grid:</source>
        <translation>Rast&amp;er:</translation>
    </message>
    <message>
        <source>&amp;Training images:</source>
        <translation>Trainin&amp;gsbilder:</translation>
    </message>
    <message>
        <source>T&amp;est images:</source>
        <translation>Test&amp;bilder:</translation>
    </message>
    <message>
        <source>%1: a run config is a mapping with model and stages</source>
        <translation>%1: Eine Laufkonfiguration ist ein Mapping mit model und stages</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>stage %1</source>
        <translation>Stufe %1</translation>
    </message>
    <message>
        <source>Ready to launch.</source>
        <translation>Startbereit.</translation>
    </message>
    <message>
        <source>%1×%1 windows × %2 queries</source>
        <translation>%1×%1 Fenster × %2 Queries</translation>
    </message>
    <message>
        <source>%1 px</source>
        <translation>%1 px</translation>
    </message>
    <message>
        <source>%1×%1</source>
        <translation>%1×%1</translation>
    </message>
    <message>
        <source>%1 + text ≤ %2</source>
        <translation>%1 + Text ≤ %2</translation>
    </message>
    <message>
        <source>%1 needs about %2, more than %3&apos;s %4</source>
        <translation>%1 braucht etwa %2, mehr als die %4 von %3</translation>
    </message>
    <message>
        <source>Room for %1 text tokens per sample</source>
        <translation>Platz für %1 Text-Tokens pro Sample</translation>
    </message>
    <message>
        <source>weights %1, gradients %2, optimizer %3, activations %4</source>
        <translation>Gewichte %1, Gradienten %2, Optimierer %3, Aktivierungen %4</translation>
    </message>
    <message>
        <source>Ready to launch, but %1.</source>
        <translation>Startbereit, aber %1.</translation>
    </message>
    <message>
        <source>Dataset directory</source>
        <translation>Datensatzverzeichnis</translation>
    </message>
    <message>
        <source>Load run config</source>
        <translation>Laufkonfiguration laden</translation>
    </message>
    <message>
        <source>Run configs (*.yaml *.yml *.json);;All files (*)</source>
        <translation>Laufkonfigurationen (*.yaml *.yml *.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>run</source>
        <translation>lauf</translation>
    </message>
    <message>
        <source>Save run config</source>
        <translation>Laufkonfiguration speichern</translation>
    </message>
    <message>
        <source>YAML (*.yaml *.yml)</source>
        <translation>YAML (*.yaml *.yml)</translation>
    </message>
    <message>
        <source>text ≤ %1</source>
        <translation>Text ≤ %1</translation>
    </message>
    <message>
        <source>The whole config: every key, stages added or removed. The form follows what you type.</source>
        <translation>Die ganze Konfiguration: jeder Schlüssel, Stufen hinzugefügt oder entfernt. Das Formular folgt dem, was Sie tippen.</translation>
    </message>
    <message>
        <source>YAML</source>
        <extracomment>The launcher&apos;s page showing the whole run config as editable YAML text.</extracomment>
        <translation>YAML</translation>
    </message>
    <message>
        <source>the YAML page</source>
        <extracomment>Names the launcher&apos;s YAML page in an error about its text, e.g. &quot;the YAML page: line 3: ...&quot;.</extracomment>
        <translation>die YAML-Seite</translation>
    </message>
</context>
<context>
    <name>cosw::LocaleNumber</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min</source>
        <translation>%1 min</translation>
    </message>
    <message>
        <source>%1 h</source>
        <translation>%1 h</translation>
    </message>
</context>
<context>
    <name>cosw::MainWindow</name>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source> (%1 GiB)</source>
        <translation> (%1 GiB)</translation>
    </message>
    <message>
        <source>CoS Workbench</source>
        <translation>CoS Workbench</translation>
    </message>
    <message>
        <source>Devices: %1</source>
        <translation>Geräte: %1</translation>
    </message>
    <message>
        <source>CPU matrix products: %1</source>
        <translation>CPU-Matrixprodukte: %1</translation>
    </message>
    <message>
        <source>store: %1</source>
        <translation>Store: %1</translation>
    </message>
    <message>
        <source>cos-batch was not found beside the workbench or on PATH: runs cannot be launched (set COS_BATCH to its path)</source>
        <translation>cos-batch wurde weder neben der Workbench noch im PATH gefunden: Läufe können nicht gestartet werden (setzen Sie COS_BATCH auf seinen Pfad)</translation>
    </message>
    <message>
        <source>&amp;Launcher</source>
        <translation>&amp;Starter</translation>
    </message>
    <message>
        <source>&amp;Monitor</source>
        <translation>&amp;Monitor</translation>
    </message>
    <message>
        <source>&amp;Attention</source>
        <translation>A&amp;ttention</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>&amp;Vergleich</translation>
    </message>
    <message>
        <source>Filter by name</source>
        <translation>Nach Name filtern</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <source>Runs</source>
        <translation>Läufe</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>&amp;Launch</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <source>Launch the launcher&apos;s config as a new run</source>
        <translation>Die Konfiguration im Starter als neuen Lauf starten</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>Stop the selected runs after their current step, with a checkpoint</source>
        <translation>Ausgewählte Läufe nach ihrem aktuellen Schritt anhalten, mit Checkpoint</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>&amp;Fortsetzen</translation>
    </message>
    <message>
        <source>&amp;Duplicate with changes</source>
        <translation>Mit Änderungen &amp;duplizieren</translation>
    </message>
    <message>
        <source>Open the selected run&apos;s config in the launcher</source>
        <translation>Konfiguration des ausgewählten Laufs im Starter öffnen</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>A&amp;ktualisieren</translation>
    </message>
    <message>
        <source>Read the run list from the store again</source>
        <translation>Laufliste erneut aus dem Store lesen</translation>
    </message>
    <message>
        <source>Show the launcher</source>
        <translation>Starter anzeigen</translation>
    </message>
    <message>
        <source>Show the monitor</source>
        <translation>Monitor anzeigen</translation>
    </message>
    <message>
        <source>Show what the selected run&apos;s visual tokens attend to</source>
        <translation>Anzeigen, worauf die visuellen Tokens des ausgewählten Laufs ihre Attention richten</translation>
    </message>
    <message>
        <source>Compare runs: tokens, time and accuracy</source>
        <translation>Läufe vergleichen: Tokens, Zeit und Genauigkeit</translation>
    </message>
    <message>
        <source>&amp;Find run</source>
        <translation>Lauf &amp;finden</translation>
    </message>
    <message>
        <source>Filter the run list by name</source>
        <translation>Laufliste nach Name filtern</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>Edit the settings</source>
        <translation>Einstellungen bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Close the workbench</source>
        <translation>Workbench schließen</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Lauf</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>Store: %1</source>
        <translation>Store: %1</translation>
    </message>
    <message>
        <source>run %1 runs on %2: stop it there</source>
        <translation>Lauf %1 läuft auf %2: Halten Sie ihn dort an</translation>
    </message>
    <message>
        <source>run %1</source>
        <translation>Lauf %1</translation>
    </message>
    <message>
        <source>run %1: its config cannot be edited: %2</source>
        <translation>Lauf %1: Seine Konfiguration kann nicht bearbeitet werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>%1 running (%n process(es)), %2 waiting</source>
        <translation>
            <numerusform>%1 laufend (%n Prozess), %2 wartend</numerusform>
            <numerusform>%1 laufend (%n Prozesse), %2 wartend</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) still running.</source>
        <translation>
            <numerusform>%n Lauf läuft noch.</numerusform>
            <numerusform>%n Läufe laufen noch.</numerusform>
        </translation>
    </message>
    <message>
        <source>Runs in progress</source>
        <translation>Aktive Läufe</translation>
    </message>
    <message>
        <source>&amp;Leave running</source>
        <translation>&amp;Weiterlaufen lassen</translation>
    </message>
    <message>
        <source>&amp;Stop them</source>
        <translation>An&amp;halten</translation>
    </message>
    <message>
        <source>&amp;User guide</source>
        <translation>&amp;Benutzerhandbuch</translation>
    </message>
    <message>
        <source>Read the user guide, task by task</source>
        <translation>Das Benutzerhandbuch lesen, Aufgabe für Aufgabe</translation>
    </message>
    <message>
        <source>&amp;Keyboard shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>List every keyboard shortcut of the workbench</source>
        <translation>Alle Tastenkürzel der Workbench anzeigen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About CoS Workbench</source>
        <translation>&amp;Über CoS Workbench</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>Über &amp;Qt</translation>
    </message>
    <message>
        <source>The new language applies when the workbench starts again.</source>
        <translation>Die neue Sprache gilt ab dem nächsten Start der Workbench.</translation>
    </message>
    <message>
        <source>&lt;h3&gt;CoS Workbench %1&lt;/h3&gt;&lt;p&gt;A research workbench for Chain-of-Sight: pre-train a multimodal model with few visual tokens, fine-tune it with many, and compare tokens, time and accuracy.&lt;/p&gt;&lt;p&gt;Qt %2 · LibTorch %3&lt;br&gt;CPU matrix products: %4&lt;br&gt;Devices: %5&lt;/p&gt;</source>
        <translation>&lt;h3&gt;CoS Workbench %1&lt;/h3&gt;&lt;p&gt;Eine Forschungs-Workbench für Chain-of-Sight: ein multimodales Modell mit wenigen visuellen Tokens vortrainieren, mit vielen feinabstimmen und Tokens, Zeit und Genauigkeit vergleichen.&lt;/p&gt;&lt;p&gt;Qt %2 · LibTorch %3&lt;br&gt;Matrixprodukte auf der CPU: %4&lt;br&gt;Geräte: %5&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About CoS Workbench</source>
        <translation>Über CoS Workbench</translation>
    </message>
    <message>
        <source>Continue the selected interrupted or failed runs from their last checkpoint, or start queued runs nothing here waits for</source>
        <translation>Die ausgewählten unterbrochenen oder fehlgeschlagenen Läufe ab ihrem letzten Checkpoint fortsetzen oder wartende Läufe starten, auf die hier nichts wartet</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) waiting in the queue.</source>
        <translation>
            <numerusform>%n Lauf wartet in der Warteschlange.</numerusform>
            <numerusform>%n Läufe warten in der Warteschlange.</numerusform>
        </translation>
    </message>
    <message>
        <source>Runs left running keep going and appear again in the run list when the workbench starts; waiting runs stay queued in the store and wait again then. Stopped runs write a checkpoint and can be resumed; stopped waiting runs are marked interrupted and start from the beginning when resumed.</source>
        <translation>Weiterlaufende Läufe laufen weiter und erscheinen beim nächsten Start der Workbench wieder in der Laufliste; wartende Läufe bleiben im Speicher eingereiht und warten dann erneut. Angehaltene Läufe schreiben einen Checkpoint und können fortgesetzt werden; angehaltene wartende Läufe werden als unterbrochen markiert und beginnen beim Fortsetzen von vorn.</translation>
    </message>
</context>
<context>
    <name>cosw::MonitorView</name>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Wall-clock time</source>
        <translation>Wall-Clock-Zeit</translation>
    </message>
    <message>
        <source>&amp;Fit</source>
        <translation>&amp;Einpassen</translation>
    </message>
    <message>
        <source>Show all points again after zooming or panning (or double-click a chart)</source>
        <translation>Nach Zoomen oder Verschieben wieder alle Punkte anzeigen (oder auf ein Diagramm doppelklicken)</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>Ex&amp;portieren…</translation>
    </message>
    <message>
        <source>Save the four charts as PNG, PDF or SVG</source>
        <translation>Die vier Diagramme als PNG, PDF oder SVG speichern</translation>
    </message>
    <message>
        <source>Select one or more runs in the run list to plot them.</source>
        <translation>Wählen Sie einen oder mehrere Läufe in der Laufliste aus, um sie darzustellen.</translation>
    </message>
    <message>
        <source>&amp;X axis:</source>
        <translation>&amp;X-Achse:</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Loss</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <source>Samples per second</source>
        <translation>Samples pro Sekunde</translation>
    </message>
    <message>
        <source>Evaluation accuracy</source>
        <translation>Evaluationsgenauigkeit</translation>
    </message>
    <message>
        <source>time since the run began (h:m:s)</source>
        <translation>Zeit seit Beginn des Laufs (h:m:s)</translation>
    </message>
    <message>
        <source>step (stages end to end)</source>
        <translation>Schritt (Stufen aneinandergereiht)</translation>
    </message>
    <message>
        <source>Training runs</source>
        <translation>Trainingsläufe</translation>
    </message>
    <message>
        <source>Export charts</source>
        <translation>Diagramme exportieren</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>%1 konnte nicht geschrieben werden.</translation>
    </message>
    <message>
        <source>Moving average of the loss and samples/s curves, each stage on its own; the points as logged stay drawn faintly behind (0: points only)</source>
        <translation>Gleitender Mittelwert der Kurven für Verlust und Samples/s, jede Stufe für sich; die protokollierten Punkte bleiben blass dahinter sichtbar (0: nur die Punkte)</translation>
    </message>
    <message>
        <source>&amp;Log loss axis</source>
        <translation>&amp;Logarithmische Verlustachse</translation>
    </message>
    <message>
        <source>A logarithmic loss axis, so the late, small changes are not flattened by the first steps</source>
        <translation>Eine logarithmische Verlustachse, damit die späten, kleinen Änderungen nicht von den ersten Schritten plattgedrückt werden</translation>
    </message>
    <message>
        <source>&amp;Smoothing:</source>
        <translation>&amp;Glättung:</translation>
    </message>
</context>
<context>
    <name>cosw::PerTypePlot</name>
    <message>
        <source>accuracy</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>type prior</source>
        <translation>Typ-Prior</translation>
    </message>
    <message>
        <source>shuffled images</source>
        <translation>vertauschte Bilder</translation>
    </message>
</context>
<context>
    <name>cosw::PlotExport</name>
    <message>
        <source>PNG image (*.png)</source>
        <translation>PNG-Bild (*.png)</translation>
    </message>
    <message>
        <source>PDF document (*.pdf)</source>
        <translation>PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>SVG drawing (*.svg)</source>
        <translation>SVG-Zeichnung (*.svg)</translation>
    </message>
</context>
<context>
    <name>cosw::RunJob</name>
    <message>
        <source>%1: could not start %2: %3</source>
        <translation>%1: %2 konnte nicht gestartet werden: %3</translation>
    </message>
    <message>
        <source>%1: started (pid %2) on %3</source>
        <translation>%1: gestartet (PID %2) auf %3</translation>
    </message>
    <message>
        <source>%1: removed from the queue</source>
        <translation>%1: aus der Warteschlange entfernt</translation>
    </message>
    <message>
        <source>%1: stopping after the current step (a checkpoint is written)</source>
        <translation>%1: wird nach dem aktuellen Schritt angehalten (ein Checkpoint wird geschrieben)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>run %1 (%2)</source>
        <translation>Lauf %1 (%2)</translation>
    </message>
    <message>
        <source>recording into %1</source>
        <translation>Aufzeichnung in %1</translation>
    </message>
    <message>
        <source>generating images %1/%2</source>
        <translation>Bilderzeugung %1/%2</translation>
    </message>
    <message>
        <source>[%1] step %2/%3, loss %4, %5 samples/s</source>
        <translation>[%1] Schritt %2/%3, Loss %4, %5 Samples/s</translation>
    </message>
    <message>
        <source>stage %1 %2: the language model alone, no image</source>
        <translation>Stufe %1 %2: nur das Sprachmodell, kein Bild</translation>
    </message>
    <message>
        <source>stage %1 %2: %3 visual tokens at %4 px</source>
        <translation>Stufe %1 %2: %3 visuelle Tokens bei %4 px</translation>
    </message>
    <message>
        <source>stage %1 done in %2 s, final loss %3</source>
        <translation>Stufe %1 nach %2 s abgeschlossen, finaler Loss %3</translation>
    </message>
    <message>
        <source>[%1] eval accuracy %2 on %3 samples</source>
        <translation>[%1] Eval-Genauigkeit %2 auf %3 Samples</translation>
    </message>
    <message>
        <source>stage %1 %2: the vision tower alone at %3 px</source>
        <translation>Stufe %1 %2: nur der Vision-Tower, bei %3 px</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>%1 kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>%1: not queued, the run was not recorded in the store</source>
        <translation>%1: nicht eingereiht, der Lauf wurde nicht im Speicher angelegt</translation>
    </message>
    <message>
        <source>queued in %1, waiting for %2</source>
        <translation>in %1 eingereiht, wartet auf %2</translation>
    </message>
</context>
<context>
    <name>cosw::RunQueue</name>
    <message>
        <source>cannot create %1</source>
        <translation>%1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>%1: cannot write the config: %2</source>
        <translation>%1: Konfiguration kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>run %1: %2</source>
        <translation>Lauf %1: %2</translation>
    </message>
    <message>
        <source>%1 (resumed)</source>
        <translation>%1 (fortgesetzt)</translation>
    </message>
    <message>
        <source>%1: queued for %2</source>
        <translation>%1: in der Warteschlange für %2</translation>
    </message>
    <message>
        <source>run %1 (%2)</source>
        <translation>Lauf %1 (%2)</translation>
    </message>
    <message>
        <source>%1: following it (pid %2), it was running already</source>
        <translation>%1: wird verfolgt (PID %2), lief bereits</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>removed from the workbench&apos;s queue before it started</source>
        <translation>vor dem Start aus der Warteschlange der Workbench entfernt</translation>
    </message>
    <message>
        <source>run %1: marked interrupted in the store; resume starts it from the beginning</source>
        <translation>Lauf %1: im Speicher als unterbrochen markiert; Fortsetzen startet ihn von vorn</translation>
    </message>
    <message>
        <source>run %1 stays queued in the store: %2</source>
        <translation>Lauf %1 bleibt im Speicher eingereiht: %2</translation>
    </message>
    <message>
        <source>%1: waiting again, queued by an earlier session</source>
        <translation>%1: wartet wieder, von einer früheren Sitzung eingereiht</translation>
    </message>
</context>
<context>
    <name>cosw::RunTableModel</name>
    <message>
        <source>queued</source>
        <translation>in Warteschlange</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>abgeschlossen</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>unterbrochen</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Connector</source>
        <translation>Connector</translation>
    </message>
    <message>
        <source>Visual tokens</source>
        <translation>Visuelle Tokens</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>evaluating %1/%2</source>
        <translation>Evaluierung %1/%2</translation>
    </message>
    <message>
        <source>%1 %2/%3</source>
        <translation>%1 %2/%3</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <extracomment>A run&apos;s status, then where it is: &quot;running · pretrain 120/450&quot;.</extracomment>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Evaluating stage %1 (%2 of %3): %4 of %5 answers</source>
        <translation>Evaluierung der Stufe %1 (%2 von %3): %4 von %5 Antworten</translation>
    </message>
    <message>
        <source>Stage %1 (%2 of %3): step %4 of %5</source>
        <translation>Stufe %1 (%2 von %3): Schritt %4 von %5</translation>
    </message>
    <message>
        <source>, about %1 left in the stage</source>
        <translation>, noch etwa %1 in der Stufe</translation>
    </message>
</context>
<context>
    <name>cosw::ScalesTableModel</name>
    <message>
        <source>Windows per side</source>
        <translation>Fenster pro Seite</translation>
    </message>
    <message>
        <source>Queries per window</source>
        <translation>Queries pro Fenster</translation>
    </message>
</context>
<context>
    <name>cosw::SettingsDialog</name>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>each stage&apos;s own device</source>
        <translation>Gerät der jeweiligen Stufe</translation>
    </message>
    <message>
        <source>LibTorch&apos;s choice</source>
        <translation>Wahl von LibTorch</translation>
    </message>
    <message>
        <source>&amp;Experiment database:</source>
        <translation>&amp;Experiment-Datenbank:</translation>
    </message>
    <message>
        <source>Experiment database</source>
        <translation>Experiment-Datenbank</translation>
    </message>
    <message>
        <source>SQLite databases (*.sqlite *.db);;All files (*)</source>
        <translation>SQLite-Datenbanken (*.sqlite *.db);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>&amp;Data directory:</source>
        <translation>&amp;Datenverzeichnis:</translation>
    </message>
    <message>
        <source>Data directory</source>
        <translation>Datenverzeichnis</translation>
    </message>
    <message>
        <source>&amp;Threads per run:</source>
        <translation>&amp;Threads pro Lauf:</translation>
    </message>
    <message>
        <source>Concurrent &amp;runs per device:</source>
        <translation>Gleichzeitige &amp;Läufe pro Gerät:</translation>
    </message>
    <message>
        <source>The system&apos;s</source>
        <translation>Die des Systems</translation>
    </message>
    <message>
        <source>Default de&amp;vice:</source>
        <translation>Standard&amp;gerät:</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>A new language applies when the workbench starts again.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start der Workbench.</translation>
    </message>
</context>
<context>
    <name>cosw::ShortcutsDialog</name>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>Kürzel</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>What it does</source>
        <translation>Wirkung</translation>
    </message>
</context>
<context>
    <name>cosw::StageEditor</name>
    <message>
        <source>e.g. 1e-3</source>
        <translation>z. B. 1e-3</translation>
    </message>
    <message>
        <source>Vision tower</source>
        <translation>Vision Tower</translation>
    </message>
    <message>
        <source>Connector</source>
        <translation>Connector</translation>
    </message>
    <message>
        <source>Language model</source>
        <translation>Sprachmodell</translation>
    </message>
    <message>
        <source>auto (bf16 where it is faster)</source>
        <translation>auto (bf16, wo es schneller ist)</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>bf16 (autocast: CUDA, or a CPU with bf16 products)</source>
        <translation>bf16 (Autocast: CUDA oder eine CPU mit bf16-Produkten)</translation>
    </message>
    <message>
        <source>Scale tokens at the start of this stage</source>
        <translation>Tokens zu Beginn dieser Stufe skalieren</translation>
    </message>
    <message>
        <source>1, or one factor per scale: 1, 2</source>
        <translation>1 oder ein Faktor pro Skala: 1, 2</translation>
    </message>
    <message>
        <source>Window scaling: each scale&apos;s windows per side are multiplied by its factor. One number applies to every scale.</source>
        <translation>Fensterskalierung: Die Fenster pro Seite jeder Skala werden mit ihrem Faktor multipliziert. Eine einzelne Zahl gilt für alle Skalen.</translation>
    </message>
    <message>
        <source>Resolution factor:</source>
        <translation>Auflösungsfaktor:</translation>
    </message>
    <message>
        <source>Window factors:</source>
        <translation>Fensterfaktoren:</translation>
    </message>
    <message>
        <source>Steps:</source>
        <translation>Schritte:</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>Batchgröße:</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>Lernrate:</translation>
    </message>
    <message>
        <source>Trains:</source>
        <translation>Trainiert:</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Präzision:</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
</context>
<context>
    <name>cosw::SweepDialog</name>
    <message>
        <source>Sweep</source>
        <translation>Sweep</translation>
    </message>
    <message>
        <source>One key per line with its values, e.g.
stages[4].lr=1e-3,3e-4
stages[4].scaling.window=[1,2],[2,2]</source>
        <translation>Ein Schlüssel pro Zeile mit seinen Werten, z. B.
stages[4].lr=1e-3,3e-4
stages[4].scaling.window=[1,2],[2,2]</translation>
    </message>
    <message>
        <source>once, as configured</source>
        <translation>einmal, wie konfiguriert</translation>
    </message>
    <message>
        <source>Repeat every variant with this many seeds; the dashboard merges them into mean ± sd</source>
        <translation>Jede Variante mit so vielen Seeds wiederholen; das Dashboard fasst sie zu Mittelwert ± SD zusammen</translation>
    </message>
    <message>
        <source>The sweep&apos;s tag: starting the same sweep again continues it, skipping finished variants</source>
        <translation>Das Tag des Sweeps: Ein erneuter Start desselben Sweeps setzt ihn fort und überspringt abgeschlossene Varianten</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>Variante</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Estimate</source>
        <translation>Schätzung</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>&amp;Preview</source>
        <translation>V&amp;orschau</translation>
    </message>
    <message>
        <source>&amp;Start sweep</source>
        <translation>Sweep &amp;starten</translation>
    </message>
    <message>
        <source>&amp;Vary:</source>
        <translation>&amp;Variieren:</translation>
    </message>
    <message>
        <source>S&amp;eeds:</source>
        <translation>S&amp;eeds:</translation>
    </message>
    <message>
        <source>&amp;Tag:</source>
        <translation>&amp;Tag:</translation>
    </message>
    <message>
        <source>Cannot write the config for the preview: %1</source>
        <translation>Die Konfiguration für die Vorschau kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>Measuring this machine&apos;s speed for the estimates…</source>
        <translation>Geschwindigkeit dieses Rechners für die Schätzungen wird gemessen…</translation>
    </message>
    <message>
        <source>cos-batch stopped without a plan (exit %1)</source>
        <translation>cos-batch wurde ohne Plan beendet (Exit-Code %1)</translation>
    </message>
    <message>
        <source> seed %1</source>
        <translation> Seed %1</translation>
    </message>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s) to start or resume</source>
        <translation>
            <numerusform>%n Lauf zu starten oder fortzusetzen</numerusform>
            <numerusform>%n Läufe zu starten oder fortzusetzen</numerusform>
        </translation>
    </message>
    <message>
        <source>about %1 on this machine (cached stages take less)</source>
        <translation>etwa %1 auf diesem Rechner (zwischengespeicherte Stufen brauchen weniger)</translation>
    </message>
</context>
<context>
    <name>cosw::TokenScalingPlot</name>
    <message>
        <source>fine-tuning visual tokens</source>
        <translation>visuelle Tokens im Fine-Tuning</translation>
    </message>
    <message>
        <source>%1, pre-trained with %2 tokens</source>
        <translation>%1, Pre-Training mit %2 Tokens</translation>
    </message>
</context>
<context>
    <name>cosw::TradeoffPlot</name>
    <message>
        <source>–</source>
        <translation>–</translation>
    </message>
    <message>
        <source>%1 → %2 tokens</source>
        <translation>%1 → %2 Tokens</translation>
    </message>
    <message numerus="yes">
        <source>%n run(s)</source>
        <translation>
            <numerusform>%n Lauf</numerusform>
            <numerusform>%n Läufe</numerusform>
        </translation>
    </message>
    <message>
        <source>tokens %1 → %2</source>
        <translation>Tokens %1 → %2</translation>
    </message>
    <message>
        <source>pre-training %1× the reference</source>
        <translation>Pre-Training %1× so lang wie die Referenz</translation>
    </message>
    <message>
        <source>pre-training %1 s</source>
        <translation>Pre-Training %1 s</translation>
    </message>
    <message>
        <source>(sd)</source>
        <translation>(SD)</translation>
    </message>
    <message>
        <source>(se)</source>
        <translation>(SE)</translation>
    </message>
    <message>
        <source>on the Pareto front</source>
        <translation>auf der Pareto-Front</translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation>Pareto-Front</translation>
    </message>
    <message>
        <source>type prior %1</source>
        <translation>Typ-Prior %1</translation>
    </message>
    <message>
        <source>pre-training time (× reference run %1)</source>
        <translation>Pre-Training-Zeit (× Referenzlauf %1)</translation>
    </message>
    <message>
        <source>pre-training time (s)</source>
        <translation>Pre-Training-Zeit (s)</translation>
    </message>
</context>
<context>
    <name>cosw::UserGuideDialog</name>
    <message>
        <source>CoS Workbench user guide</source>
        <translation>CoS Workbench – Benutzerhandbuch</translation>
    </message>
    <message>
        <source>The user guide (USER-GUIDE.md) is not installed with this program.</source>
        <translation>Das Benutzerhandbuch (USER-GUIDE.md) ist mit diesem Programm nicht installiert.</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Research workbench for Chain-of-Sight multimodal pre-training</source>
        <translation>Forschungs-Workbench für multimodales Chain-of-Sight-Pre-Training</translation>
    </message>
    <message>
        <source>Experiment database (default: the settings&apos;).</source>
        <translation>Experiment-Datenbank (Standard: die aus den Einstellungen).</translation>
    </message>
    <message>
        <source>View to show: launcher, monitor, attention or compare.</source>
        <translation>Anzuzeigende Ansicht: launcher, monitor, attention oder compare.</translation>
    </message>
    <message>
        <source>Run to select in the run list (repeat to overlay runs).</source>
        <translation>In der Laufliste auszuwählender Lauf (mehrfach angeben, um Läufe zu überlagern).</translation>
    </message>
    <message>
        <source>Image the attention view encodes (default: the run&apos;s first evaluation image).</source>
        <translation>Bild, das die Attention-Ansicht kodiert (Standard: das erste Evaluationsbild des Laufs).</translation>
    </message>
    <message>
        <source>Question the attention view asks about the image.</source>
        <translation>Frage, die die Attention-Ansicht zum Bild stellt.</translation>
    </message>
    <message>
        <source>Save the window as a PNG and exit.</source>
        <translation>Fenster als PNG speichern und beenden.</translation>
    </message>
    <message>
        <source>unexpected argument &apos;%1&apos;</source>
        <translation>unerwartetes Argument „%1“</translation>
    </message>
    <message>
        <source>--view &apos;%1&apos;: expected launcher, monitor, attention or compare</source>
        <translation>--view „%1“: erwartet launcher, monitor, attention oder compare</translation>
    </message>
    <message>
        <source>--run &apos;%1&apos;: expected a run id</source>
        <translation>--run „%1“: Lauf-ID erwartet</translation>
    </message>
    <message>
        <source>Language of the window: en, de or zh_CN (default: the settings&apos;, else the system&apos;s).</source>
        <translation>Sprache des Fensters: en, de oder zh_CN (Standard: die der Einstellungen, sonst die des Systems).</translation>
    </message>
</context>
</TS>
