"""Function words per language: prose is dense in them, menus and link lists are not.

The share of stop words is the single best cue (after length) that a line is
running text rather than navigation; it is the feature jusText is built on. The
lists hold the most frequent function words of each language (articles,
pronouns, prepositions, conjunctions, auxiliaries), written down from general
knowledge of the language, not taken from any page. They are short on purpose:
the frequent words carry almost all of the signal.
"""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: dict[str, frozenset[str]] = {
    "en": word_set(
        """a about above after again against all also am an and any are as at be because
        been before being below between both but by can could did do does doing down during
        each few for from further had has have having he her here hers herself him himself
        his how i if in into is it its itself just me more most my myself no nor not now of
        off on once only or other our ours out over own same she should so some such than
        that the their theirs them themselves then there these they this those through to
        too under until up very was we were what when where which while who whom why will
        with would you your yours yourself yourselves said says one two new like who's it's
        don't didn't can't won't isn't wasn't i'm we're they're he's she's there's that's
        may might must shall us many much even still well back just since though although
        yet however"""
    ),
    "de": word_set(
        """der die das den dem des ein eine einer eines einem einen und oder aber doch sondern
        ist sind war waren wird werden wurde wurden sein hat haben hatte hatten kann können
        muss müssen soll sollen will wollen nicht auch noch schon nur sehr mehr mit von zu
        zum zur im in an am auf aus bei nach vor über unter durch für gegen ohne um bis als
        wie wenn dass weil ob so da hier dort es er sie wir ihr ich du man sich sein seine
        ihre ihren ihrem seinem seinen diese dieser dieses diesen diesem jetzt dann denn wo
        was wer alle allem allen einige viele kein keine keinen ab"""
    ),
    "fr": word_set(
        """le la les l un une des du de d et ou mais donc or ni car est sont était étaient
        été être a ont avait avaient avoir fait faire ce cet cette ces qui que qu quoi dont
        où il elle ils elles on nous vous je tu se s leur leurs son sa ses lui y en dans sur
        sous par pour avec sans entre vers chez au aux ne pas plus moins très aussi bien
        comme si tout tous toute toutes même autre autres après avant depuis pendant encore
        déjà cela ça c n m j"""
    ),
    "es": word_set(
        """el la los las lo un una unos unas y o u pero sino que de del a al en por para con
        sin sobre entre hasta desde hacia según es son era eran fue fueron ser estar está
        están estaba ha han había haber se su sus le les me te nos mi tu él ella ellos ellas
        nosotros yo este esta estos estas ese esa esos esas esto eso no sí más menos muy
        también ya como cuando donde porque si todo todos toda todas otro otra otros otras
        hay cual cuales quien"""
    ),
    "it": word_set(
        """il lo la i gli le un uno una di del della dello dei degli delle da dal dalla dai
        dalle a al allo alla ai agli alle in nel nella nello nei negli nelle su sul sulla
        sui sulle per con tra fra e ed o ma che chi cui non è sono era erano stato stata
        essere ha hanno aveva avere si ci ne mi ti vi lui lei loro noi voi io tu suo sua
        suoi sue questo questa questi queste quello quella anche più come quando dove se
        perché già ancora molto tutto tutti tutta tutte"""
    ),
    "pt": word_set(
        """o a os as um uma uns umas de do da dos das em no na nos nas por pelo pela pelos
        pelas para com sem sobre entre até desde e ou mas que se não é são era eram foi
        foram ser estar está estão estava há tem têm tinha ter ele ela eles elas eu nós você
        vocês seu sua seus suas lhe lhes me te este esta estes estas esse essa esses essas
        isso isto aquele aquela mais menos muito também já como quando onde porque todo
        toda todos todas outro outra ao aos à às pelo num numa"""
    ),
    "nl": word_set(
        """de het een en of maar dat die dit deze van in op aan met voor door bij naar uit
        over tot om te is zijn was waren wordt worden werd werden heeft hebben had hadden
        kan kunnen moet moeten zal zullen wil niet geen ook nog al wel zo dan als want er
        hier daar hij zij ze wij we ik jij je u hun haar zijn mijn ons onze wat wie waar
        hoe meer veel alle"""
    ),
    "sv": word_set(
        """och i att det som en på är av för med till den har de inte om ett han men var jag
        sig från vi så kan man när år säger hon under också efter eller nu sin där vid mot
        ska skulle kommer ut får finns vara hade alla andra mycket än här då sedan över bara
        in blir upp även vad få två vill mer"""
    ),
    "pl": word_set(
        """i w z na do nie się to że jest jak a o po ale od przez za dla jego jej ich czy już
        tak tylko może są był była było były być który która które którzy także też jednak
        oraz lub ani gdy jeśli bo ten ta te tego tej tym tych jako przy pod nad przed bez
        między we ze co kto gdzie"""
    ),
    "tr": word_set(
        """ve bir bu da de için ile gibi daha çok en ne ya ki olan olarak ama ancak kadar
        sonra önce her şey o ben sen biz siz onlar bunu şu olduğu olduğunu değil var yok
        mi mı mu mü ise hem veya ayrıca üzerinde içinde arasında tarafından göre"""
    ),
    "ru": word_set(
        """и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по
        только ее её мне было вот от меня еще ещё нет о из ему теперь когда даже ну ли если
        уже или ни быть был была были него до вас нибудь опять уж вам ведь там потом себя
        ничего ей может они тут где есть надо ней для мы тебя их чем сам без будто чего
        раз тоже себе под будет ж тогда кто этот того потому этого какой совсем ним здесь
        этом один почти мой тем чтобы нее сейчас куда зачем всех можно при об хоть после
        над больше тот через эти нас про всего них какая много разве эту моя свою этой
        перед лучше чуть том такой им более всю между это также"""
    ),
    "id": word_set(
        """yang dan di ke dari ini itu dengan untuk dalam tidak akan pada juga ada adalah
        atau oleh karena sebagai bisa saja kita kami mereka dia ia saya anda kamu telah
        sudah belum bahwa jika kalau agar supaya sangat lebih hanya masih harus dapat
        para se pun lagi yaitu serta tetapi tapi namun setelah sebelum ketika saat antara
        tersebut"""
    ),
}
