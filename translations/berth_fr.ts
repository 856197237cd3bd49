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
    <name>Berth::Ui::ErrorBar</name>
    <message>
        <source>Details</source>
        <translation>Détails</translation>
    </message>
    <message>
        <source>Hide this message</source>
        <translation>Masquer ce message</translation>
    </message>
</context>
<context>
    <name>Berth::Ui::ErrorText</name>
    <message>
        <source>It does not exist, or no longer does.</source>
        <translation>Cela n’existe pas, ou plus.</translation>
    </message>
    <message>
        <source>The file is not in a format Berth can read.</source>
        <translation>Le fichier n’est pas dans un format que Berth sait lire.</translation>
    </message>
    <message>
        <source>Reading or writing a file failed.</source>
        <translation>La lecture ou l’écriture d’un fichier a échoué.</translation>
    </message>
    <message>
        <source>The system refused the operation.</source>
        <translation>Le système a refusé l’opération.</translation>
    </message>
    <message>
        <source>The network could not be reached.</source>
        <translation>Le réseau est injoignable.</translation>
    </message>
    <message>
        <source>The registry refused the request.</source>
        <translation>Le registre a refusé la requête.</translation>
    </message>
    <message>
        <source>You are not allowed to do this.</source>
        <translation>Vous n’avez pas l’autorisation de faire cela.</translation>
    </message>
    <message>
        <source>The operation was cancelled.</source>
        <translation>L’opération a été annulée.</translation>
    </message>
    <message>
        <source>Berth does not support this yet.</source>
        <translation>Berth ne prend pas encore cela en charge.</translation>
    </message>
    <message>
        <source>This conflicts with what is in the image store.</source>
        <translation>Cela entre en conflit avec le contenu du magasin d’images.</translation>
    </message>
    <message>
        <source>The input is not valid.</source>
        <translation>La saisie n’est pas valide.</translation>
    </message>
    <message>
        <source>Berth ran into an internal error.</source>
        <translation>Berth a rencontré une erreur interne.</translation>
    </message>
    <message>
        <source>Something went wrong.</source>
        <translation>Une erreur s’est produite.</translation>
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
    <name>Berth::Ui::ImageListModel</name>
    <message>
        <source>(untagged)</source>
        <translation>(sans tag)</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>inconnue</translation>
    </message>
    <message>
        <source>just now</source>
        <translation>à l’instant</translation>
    </message>
    <message>
        <source>1 minute ago</source>
        <translation>il y a 1 minute</translation>
    </message>
    <message numerus="yes">
        <source>%n minutes ago</source>
        <translation>
            <numerusform>il y a %n minute</numerusform>
            <numerusform>il y a %n minutes</numerusform>
        </translation>
    </message>
    <message>
        <source>1 hour ago</source>
        <translation>il y a 1 heure</translation>
    </message>
    <message numerus="yes">
        <source>%n hours ago</source>
        <translation>
            <numerusform>il y a %n heure</numerusform>
            <numerusform>il y a %n heures</numerusform>
        </translation>
    </message>
    <message>
        <source>1 day ago</source>
        <translation>il y a 1 jour</translation>
    </message>
    <message numerus="yes">
        <source>%n days ago</source>
        <translation>
            <numerusform>il y a %n jour</numerusform>
            <numerusform>il y a %n jours</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n months ago</source>
        <translation>
            <numerusform>il y a %n mois</numerusform>
            <numerusform>il y a %n mois</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n years ago</source>
        <translation>
            <numerusform>il y a %n an</numerusform>
            <numerusform>il y a %n ans</numerusform>
        </translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>Dépôt</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Tag</translation>
    </message>
    <message>
        <source>Image ID</source>
        <translation>ID de l’image</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Créée</translation>
    </message>
</context>
<context>
    <name>Berth::Ui::ImagesView</name>
    <message>
        <source>Images</source>
        <translation>Images</translation>
    </message>
    <message>
        <source>Reading the image store…</source>
        <translation>Lecture du magasin d’images…</translation>
    </message>
    <message>
        <source>Could not read the image store.</source>
        <translation>Impossible de lire le magasin d’images.</translation>
    </message>
    <message>
        <source>Filter by repository, tag or ID</source>
        <translation>Filtrer par dépôt, tag ou ID</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>Charger…</translation>
    </message>
    <message>
        <source>Load images from a docker or OCI archive, or an OCI layout folder</source>
        <translation>Charger des images depuis une archive docker ou OCI, ou depuis un dossier au format OCI</translation>
    </message>
    <message>
        <source>Archive File (.tar, .tar.gz)…</source>
        <translation>Fichier d’archive (.tar, .tar.gz)…</translation>
    </message>
    <message>
        <source>OCI Layout Folder…</source>
        <translation>Dossier au format OCI…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <source>Tag…</source>
        <translation>Ajouter un tag…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Prune…</source>
        <translation>Nettoyer…</translation>
    </message>
    <message>
        <source>Remove untagged images and the data no image uses</source>
        <translation>Supprimer les images sans tag et les données qu’aucune image n’utilise</translation>
    </message>
    <message>
        <source>There are no images on this computer yet. Load one from an archive (docker save, podman save, or an OCI archive), or start with a small busybox image made from this computer&apos;s own busybox: it needs no registry and no network.</source>
        <translation>Il n’y a encore aucune image sur cet ordinateur. Chargez-en une depuis une archive (docker save, podman save ou archive OCI), ou commencez avec une petite image busybox créée à partir du busybox de cet ordinateur&#xa0;: il ne faut ni registre ni réseau.</translation>
    </message>
    <message>
        <source>Create busybox:latest from this computer&apos;s busybox</source>
        <translation>Créer busybox:latest à partir du busybox de cet ordinateur</translation>
    </message>
    <message>
        <source>Looking for busybox…</source>
        <translation>Recherche de busybox…</translation>
    </message>
    <message>
        <source>1 image, %1</source>
        <translation>1 image, %1</translation>
    </message>
    <message numerus="yes">
        <source>%n images, %1</source>
        <translation>
            <numerusform>%n image, %1</numerusform>
            <numerusform>%n images, %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Install the busybox-static package (sudo apt install busybox-static), then come back here.</source>
        <translation>Installez le paquet busybox-static (sudo apt install busybox-static), puis revenez ici.</translation>
    </message>
    <message>
        <source>Berth copies %1 into a new image with a link for each of its commands. Nothing is downloaded.</source>
        <translation>Berth copie %1 dans une nouvelle image, avec un lien pour chacune de ses commandes. Rien n’est téléchargé.</translation>
    </message>
    <message>
        <source>%1 is dynamically linked, so it would not start inside an image without its libraries. %2</source>
        <translation>%1 est lié dynamiquement&#xa0;: il ne démarrerait pas dans une image sans ses bibliothèques. %2</translation>
    </message>
    <message>
        <source>%1 was not found. %2</source>
        <translation>%1 est introuvable. %2</translation>
    </message>
    <message>
        <source>Loading “%1”…</source>
        <translation>Chargement de «&#xa0;%1&#xa0;»…</translation>
    </message>
    <message>
        <source>Could not load “%1”.</source>
        <translation>Impossible de charger «&#xa0;%1&#xa0;».</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Exportation…</translation>
    </message>
    <message>
        <source>Exporting %1 to “%2”…</source>
        <translation>Exportation de %1 vers «&#xa0;%2&#xa0;»…</translation>
    </message>
    <message>
        <source>Could not export %1.</source>
        <translation>Impossible d’exporter %1.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Tagging…</source>
        <translation>Ajout du tag…</translation>
    </message>
    <message>
        <source>Could not tag %1 as %2.</source>
        <translation>Impossible d’ajouter le tag %2 à %1.</translation>
    </message>
    <message>
        <source>Removing…</source>
        <translation>Suppression…</translation>
    </message>
    <message>
        <source>Could not remove %1.</source>
        <translation>Impossible de supprimer %1.</translation>
    </message>
    <message>
        <source>Could not prune the image store.</source>
        <translation>Impossible de nettoyer le magasin d’images.</translation>
    </message>
    <message>
        <source>Creating busybox:latest…</source>
        <translation>Création de busybox:latest…</translation>
    </message>
    <message>
        <source>Could not create busybox:latest.</source>
        <translation>Impossible de créer busybox:latest.</translation>
    </message>
    <message>
        <source>Load Images</source>
        <translation>Charger des images</translation>
    </message>
    <message>
        <source>Image archives (*.tar *.tar.gz *.tgz *.tar.zst);;All files (*)</source>
        <translation>Archives d’images (*.tar *.tar.gz *.tgz *.tar.zst);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <source>Load Images from an OCI Layout Folder</source>
        <translation>Charger des images depuis un dossier au format OCI</translation>
    </message>
    <message>
        <source>Docker archive, as docker save writes it (*.tar)</source>
        <translation>Archive Docker, comme l’écrit docker save (*.tar)</translation>
    </message>
    <message>
        <source>OCI archive (*.tar)</source>
        <translation>Archive OCI (*.tar)</translation>
    </message>
    <message>
        <source>Export Image</source>
        <translation>Exporter l’image</translation>
    </message>
    <message>
        <source>Remove Image</source>
        <translation>Supprimer l’image</translation>
    </message>
    <message>
        <source>Remove the tag %1?</source>
        <translation>Supprimer le tag %1&#xa0;?</translation>
    </message>
    <message>
        <source>The image keeps its other tag. To delete the image itself, remove it with all its tags.</source>
        <translation>L’image garde son autre tag. Pour supprimer l’image elle-même, supprimez-la avec tous ses tags.</translation>
    </message>
    <message numerus="yes">
        <source>The image keeps its %n other tags. To delete the image itself, remove it with all its tags.</source>
        <translation>
            <numerusform>L’image garde %n autre tag. Pour supprimer l’image elle-même, supprimez-la avec tous ses tags.</numerusform>
            <numerusform>L’image garde ses %n autres tags. Pour supprimer l’image elle-même, supprimez-la avec tous ses tags.</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove Tag</source>
        <translation>Supprimer le tag</translation>
    </message>
    <message>
        <source>Remove Image and All Tags</source>
        <translation>Supprimer l’image et tous ses tags</translation>
    </message>
    <message>
        <source>Remove the image %1?</source>
        <translation>Supprimer l’image %1&#xa0;?</translation>
    </message>
    <message>
        <source>Its data is deleted from this computer once no other image uses it.</source>
        <translation>Ses données sont effacées de cet ordinateur dès qu’aucune autre image ne les utilise.</translation>
    </message>
    <message>
        <source>Prune Images</source>
        <translation>Nettoyer les images</translation>
    </message>
    <message>
        <source>Remove untagged images and the data no image uses?</source>
        <translation>Supprimer les images sans tag et les données qu’aucune image n’utilise&#xa0;?</translation>
    </message>
    <message>
        <source>Also remove tagged images (every image in the store)</source>
        <translation>Supprimer aussi les images taguées (toutes les images du magasin)</translation>
    </message>
    <message>
        <source>Prune</source>
        <translation>Nettoyer</translation>
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
        <source>&lt;h3&gt;Berth %1&lt;/h3&gt;&lt;p&gt;A desktop container manager: build images from Dockerfiles and run containers, with no daemon and no virtual machine.&lt;/p&gt;&lt;p&gt;This version opens Dockerfiles and checks them, and keeps images: load, export, tag and remove them. Containers, builds and volumes come in the next versions.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Berth %1&lt;/h3&gt;&lt;p&gt;Un gestionnaire de conteneurs pour le bureau&#xa0;: construisez des images à partir de Dockerfiles et lancez des conteneurs, sans démon ni machine virtuelle.&lt;/p&gt;&lt;p&gt;Cette version ouvre les Dockerfiles et les vérifie, et gère les images&#xa0;: chargez-les, exportez-les, ajoutez-leur des tags ou supprimez-les. Les conteneurs, les constructions et les volumes arriveront dans les prochaines versions.&lt;/p&gt;</translation>
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
<context>
    <name>Berth::Ui::TagDialog</name>
    <message>
        <source>Tag Image</source>
        <translation>Ajouter un tag à l’image</translation>
    </message>
    <message>
        <source>New tag for %1, as &lt;i&gt;repository:tag&lt;/i&gt; (for example &lt;i&gt;myapp:1.0&lt;/i&gt; or &lt;i&gt;registry.example:5000/team/app:dev&lt;/i&gt;). Without a tag, &lt;i&gt;latest&lt;/i&gt; is used.</source>
        <translation>Nouveau tag pour %1, sous la forme &lt;i&gt;dépôt:tag&lt;/i&gt; (par exemple &lt;i&gt;monappli:1.0&lt;/i&gt; ou &lt;i&gt;registry.example:5000/equipe/appli:dev&lt;/i&gt;). Sans tag, &lt;i&gt;latest&lt;/i&gt; est utilisé.</translation>
    </message>
    <message>
        <source>repository:tag</source>
        <translation>dépôt:tag</translation>
    </message>
    <message>
        <source>Tag</source>
        <translation>Ajouter le tag</translation>
    </message>
    <message>
        <source>Will be tagged %1</source>
        <translation>Tag qui sera ajouté&#xa0;: %1</translation>
    </message>
    <message>
        <source>Not a valid reference. Use lowercase letters, digits, and . _ - / in the name, then an optional :tag.</source>
        <translation>Référence non valide. Le nom s’écrit en minuscules, chiffres et . _ - /, suivi si besoin d’un :tag.</translation>
    </message>
</context>
</TS>
