<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR" sourcelanguage="en">
<context>
    <name>Berth::Ui::DockerfilesView</name>
    <message>
        <source>Open a Dockerfile to read it and see what Berth finds in it: mistakes that would stop a build, and habits that make images larger, slower to build or less safe.

You can also drop a Dockerfile on this window, or start Berth with one: berth path/to/Dockerfile.

Editing, building and running from here come in later versions.</source>
        <translation>Ouvrez un Dockerfile pour le lire et voir ce que Berth y trouve&#xa0;: les erreurs qui feraient échouer une construction, et les habitudes qui rendent les images plus lourdes, plus lentes à construire ou moins sûres.

Vous pouvez aussi déposer un Dockerfile sur cette fenêtre, ou lancer Berth avec&#xa0;: berth chemin/vers/Dockerfile.

La modification, la construction et l’exécution depuis cette vue arriveront dans de prochaines versions.</translation>
    </message>
    <message>
        <source>Open Dockerfile…</source>
        <translation>Ouvrir un Dockerfile…</translation>
    </message>
    <message>
        <source>Dockerfiles</source>
        <translation>Dockerfiles</translation>
    </message>
    <message>
        <source>Read only for now. Berth checks the file again whenever it changes on disk.</source>
        <translation>Lecture seule pour l’instant. Berth vérifie à nouveau le fichier dès qu’il change sur le disque.</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>Ouvrir…</translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>Masquer ce message</translation>
    </message>
    <message>
        <source>Could not open “%1”.</source>
        <translation>Impossible d’ouvrir «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>It is a folder. Choose the Dockerfile inside it.</source>
        <translation>C’est un dossier. Choisissez le Dockerfile qu’il contient.</translation>
    </message>
    <message>
        <source>The file is %1, too large to be a Dockerfile.</source>
        <translation>Le fichier fait %1, bien trop pour être un Dockerfile.</translation>
    </message>
    <message>
        <source>Open Dockerfile</source>
        <translation>Ouvrir un Dockerfile</translation>
    </message>
    <message>
        <source>Dockerfiles (Dockerfile Containerfile Dockerfile.* *.Dockerfile *.dockerfile);;All files (*)</source>
        <translation>Dockerfiles (Dockerfile Containerfile Dockerfile.* *.Dockerfile *.dockerfile);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>Détails&#xa0;: %1</translation>
    </message>
    <message>
        <source>“%1” was removed or renamed.</source>
        <translation>«&#xa0;%1&#xa0;» a été supprimé ou renommé.</translation>
    </message>
    <message>
        <source>What is shown is its last content. Open the file again where it is now.</source>
        <translation>Le contenu affiché est le dernier connu. Rouvrez le fichier à son nouvel emplacement.</translation>
    </message>
    <message>
        <source>No problems found.</source>
        <translation>Aucun problème détecté.</translation>
    </message>
    <message>
        <source>Errors: %1, warnings: %2, notes: %3. Double-click a row to show it in the file.</source>
        <translation>Erreurs&#xa0;: %1, avertissements&#xa0;: %2, remarques&#xa0;: %3. Double-cliquez sur une ligne pour la voir dans le fichier.</translation>
    </message>
</context>
<context>
    <name>Berth::Ui::FindingsModel</name>
    <message>
        <source>Severity</source>
        <translation>Gravité</translation>
    </message>
    <message>
        <source>Line:Column</source>
        <translation>Ligne:Colonne</translation>
    </message>
    <message>
        <source>Rule</source>
        <translation>Règle</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Avertissement</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Found by the parser while reading the file, before any lint rule runs.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Relevé par l’analyseur à la lecture du fichier, avant l’application des règles de vérification.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;A one-click fix for this comes with the editor.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Une correction en un clic arrivera avec l’éditeur.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Remarque</translation>
    </message>
</context>
<context>
    <name>Berth::Ui::MainWindow</name>
    <message>
        <source>Views</source>
        <translation>Vues</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Tableau de bord</translation>
    </message>
    <message>
        <source>An overview of this computer will appear here: running containers, recent builds, and the disk space images and volumes take. The container engine is not part of this version yet.

For now, Berth can open a Dockerfile and check it: see Dockerfiles.</source>
        <translation>Une vue d’ensemble de cet ordinateur apparaîtra ici&#xa0;: les conteneurs en cours d’exécution, les constructions récentes et l’espace disque occupé par les images et les volumes. Le moteur de conteneurs ne fait pas encore partie de cette version.

Pour l’instant, Berth peut ouvrir un Dockerfile et le vérifier&#xa0;: voir Dockerfiles.</translation>
    </message>
    <message>
        <source>Containers</source>
        <translation>Conteneurs</translation>
    </message>
    <message>
        <source>Containers you run will be listed here with their state, ports, and live CPU and memory. The container runtime is not part of this version yet.</source>
        <translation>Les conteneurs que vous lancez seront listés ici avec leur état, leurs ports, et leur consommation de processeur et de mémoire en direct. L’environnement d’exécution des conteneurs ne fait pas encore partie de cette version.</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>Images on this computer will be listed here with their tags, size and age, and you will be able to pull them from a registry or push your own. The image store is not part of this version yet.</source>
        <translation>Les images présentes sur cet ordinateur seront listées ici avec leurs étiquettes, leur taille et leur âge, et vous pourrez les télécharger depuis un registre ou y publier les vôtres. Le stockage des images ne fait pas encore partie de cette version.</translation>
    </message>
    <message>
        <source>Builds</source>
        <translation>Constructions</translation>
    </message>
    <message>
        <source>Image builds will be listed here with each step, its log and how long it took, and which steps came from the cache. The image builder is not part of this version yet.</source>
        <translation>Les constructions d’images seront listées ici, avec chaque étape, son journal, sa durée, et les étapes reprises du cache. Le constructeur d’images ne fait pas encore partie de cette version.</translation>
    </message>
    <message>
        <source>Dockerfiles</source>
        <translation>Dockerfiles</translation>
    </message>
    <message>
        <source>Volumes</source>
        <translation>Volumes</translation>
    </message>
    <message>
        <source>Volumes keep your containers&apos; data between runs. They will be listed here with their size and the containers that use them. Volumes are not part of this version yet.</source>
        <translation>Les volumes conservent les données de vos conteneurs d’une exécution à l’autre. Ils seront listés ici avec leur taille et les conteneurs qui les utilisent. Les volumes ne font pas encore partie de cette version.</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <source>&amp;Open Dockerfile…</source>
        <translation>&amp;Ouvrir un Dockerfile…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quitter</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Ai&amp;de</translation>
    </message>
    <message>
        <source>&amp;About Berth</source>
        <translation>À &amp;propos de Berth</translation>
    </message>
    <message>
        <source>About Berth</source>
        <translation>À propos de Berth</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Berth %1&lt;/h3&gt;&lt;p&gt;A desktop container manager: build images from Dockerfiles and run containers, with no daemon and no virtual machine.&lt;/p&gt;&lt;p&gt;This version opens Dockerfiles and checks them. Containers, images, builds and volumes come in the next versions.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Berth %1&lt;/h3&gt;&lt;p&gt;Un gestionnaire de conteneurs pour le bureau&#xa0;: construisez des images à partir de Dockerfiles et lancez des conteneurs, sans démon ni machine virtuelle.&lt;/p&gt;&lt;p&gt;Cette version ouvre les Dockerfiles et les vérifie. Les conteneurs, les images, les constructions et les volumes arriveront dans les prochaines versions.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>Berth::Ui::SettingsView</name>
    <message>
        <source>System default (%1)</source>
        <translation>Langue du système (%1)</translation>
    </message>
    <message>
        <source>Berth uses the new language the next time it starts.</source>
        <translation>Berth utilisera la nouvelle langue à son prochain démarrage.</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Langue&#xa0;:</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
</context>
</TS>
